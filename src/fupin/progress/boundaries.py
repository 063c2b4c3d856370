"""地理边界: the battle map's geographic map from an uploaded GeoJSON FeatureCollection.

The issue asks for "a schematic map of townships and villages (geographic boundaries optional, from an
uploaded GeoJSON)". A county officer uploads a FeatureCollection whose features name their area in a
property (default "code"; 6-digit county, 9-digit township or 12-digit village codes). Everything is
checked before anything is written, and one bad feature refuses the whole file: size, JSON, the
FeatureCollection shape, Polygon/MultiPolygon only, numeric coordinates within longitude/latitude
ranges, closed rings, codes that exist, lie within the uploader's area and appear once.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import can, require
from fupin.areas.models import Area, AreaLevel, pad_code
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.progress.models import AreaBoundary

MANAGE = "progress.manage"
MAX_BYTES = 20 * 1024 * 1024
MAX_LISTED = 10  # problems named in the message; all of them (up to MAX_DETAILS) go into the details
MAX_DETAILS = 200
DIGITS = 6  # about 0.1 m: more only makes the page heavier
CODE_RE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")
PROPERTY_RE = re.compile(r"^[\w.\-]{1,60}$")


@dataclass
class UploadResult:
    stored: int
    replaced: int
    codes: list[str]
    sha256: str

    def as_dict(self) -> dict:
        return {"stored": self.stored, "replaced": self.replaced, "codes": self.codes, "sha256": self.sha256}


def _refuse(message: str, code: str, problems: list[str] | None = None) -> None:
    raise ValidationFailed(message, code=code, details={"errors": (problems or [message])[:MAX_DETAILS]})


def _no_constant(name: str):
    raise ValueError(name)


def _load(data: bytes) -> dict:
    if len(data) > MAX_BYTES:
        _refuse(_("文件过大：%(n)s MB，上限为 %(max)s MB") % {"n": round(len(data) / 1048576, 1),
                                                       "max": MAX_BYTES // 1048576}, "file_too_large")
    if not data.strip():
        _refuse(_("文件为空"), "empty_file")
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        _refuse(_("不是有效的 JSON 文件（应为 UTF-8 编码的 GeoJSON）：%(e)s") % {"e": str(exc)[:120]}, "bad_json")
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        _refuse(_("GeoJSON 的顶层应为 FeatureCollection（要素集合）"), "not_feature_collection")
    if not isinstance(doc.get("features"), list) or not doc["features"]:
        _refuse(_("FeatureCollection 中没有要素（features）"), "no_features")
    return doc


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _ring(ring, where: str, problems: list[str]) -> list | None:
    if not isinstance(ring, list) or len(ring) < 4:
        problems.append(_("%(w)s：边界环至少应有4个坐标点") % {"w": where})
        return None
    out = []
    for point in ring:
        if not isinstance(point, list) or len(point) not in (2, 3) or not all(_number(v) for v in point):
            problems.append(_("%(w)s：坐标应为数字 [经度, 纬度]，而不是 %(p)s") % {"w": where, "p": str(point)[:40]})
            return None
        lon, lat = point[0], point[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(_("%(w)s：坐标超出经纬度范围（经度 -180～180，纬度 -90～90）：%(p)s")
                            % {"w": where, "p": str(point)[:40]})
            return None
        out.append([round(lon, DIGITS), round(lat, DIGITS)])
    if out[0] != out[-1]:
        problems.append(_("%(w)s：边界环未闭合（首尾坐标应相同）") % {"w": where})
        return None
    return out


def _polygon(rings, where: str, problems: list[str]) -> list | None:
    if not isinstance(rings, list) or not rings:
        problems.append(_("%(w)s：多边形缺少坐标") % {"w": where})
        return None
    out = [_ring(r, where, problems) for r in rings]
    return None if any(r is None for r in out) else out


def _geometry(geometry, where: str, problems: list[str]) -> dict | None:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        problems.append(_("%(w)s：几何类型应为 Polygon 或 MultiPolygon，而不是 %(t)s") % {"w": where, "t": kind})
        return None
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygon = _polygon(coordinates, where, problems)
        return None if polygon is None else {"type": kind, "coordinates": polygon}
    if not isinstance(coordinates, list) or not coordinates:
        problems.append(_("%(w)s：多边形缺少坐标") % {"w": where})
        return None
    polygons = [_polygon(p, where, problems) for p in coordinates]
    return None if any(p is None for p in polygons) else {"type": kind, "coordinates": polygons}


def parse_features(data: bytes, code_property: str) -> list[tuple[str, dict]]:
    """(12-digit code, cleaned geometry) for every feature, or ValidationFailed naming every problem."""
    doc = _load(data)
    problems: list[str] = []
    seen: dict[str, int] = {}
    out = []
    for n, feature in enumerate(doc["features"], start=1):
        where = _("第%(n)s个要素") % {"n": n}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(_("%(w)s：不是 Feature") % {"w": where})
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        raw = props.get(code_property)
        code = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
        if not CODE_RE.match(code):
            problems.append(_("%(w)s：属性“%(p)s”应为6位（县）、9位（乡镇）或12位（村）区划代码，而不是 %(v)s")
                            % {"w": where, "p": code_property, "v": json.dumps(raw, ensure_ascii=False)[:30]})
            continue
        code = pad_code(code)
        where = _("第%(n)s个要素（%(c)s）") % {"n": n, "c": code}
        if code in seen:
            problems.append(_("%(w)s：代码与第%(m)s个要素重复") % {"w": where, "m": seen[code]})
            continue
        seen[code] = n
        geometry = _geometry(feature.get("geometry"), where, problems)
        if geometry is not None:
            out.append((code, geometry))
    if problems:
        _refuse(_("GeoJSON 有 %(n)s 处问题，未导入任何边界：%(list)s") % {
            "n": len(problems), "list": "；".join(problems[:MAX_LISTED]) + ("……" if len(problems) > MAX_LISTED else "")},
            "geojson_invalid", problems)
    return out


def _common_area(codes: list[str]) -> str:
    """The narrowest area holding every code (for the audit event's area)."""
    for length in (9, 6, 4, 2):
        if len({c[:length] for c in codes}) == 1:
            return pad_code(codes[0][:length])
    return ""


@transaction.atomic
def boundaries_upload(*, actor, data: bytes, filename: str = "", code_property: str = "code") -> UploadResult:
    """Store the boundaries of an uploaded GeoJSON, replacing those of the same areas; all or nothing."""
    require(actor, MANAGE)
    code_property = (code_property or "code").strip()
    if not PROPERTY_RE.match(code_property):
        _refuse(_("代码属性名应为1至60个字母、数字、下划线、点或连字符：%(p)s") % {"p": code_property[:60]},
                "bad_property")
    features = parse_features(data, code_property)
    codes = [code for code, _geometry in features]
    areas = {a.code: a for a in Area.objects.current().filter(code__in=codes)}
    problems = []
    for code in codes:
        if code not in areas:
            problems.append(_("区划代码不存在：%(c)s") % {"c": code})
        elif areas[code].level not in (AreaLevel.COUNTY, AreaLevel.TOWNSHIP, AreaLevel.VILLAGE):
            problems.append(_("只接受县、乡镇、村的边界：%(c)s %(n)s") % {"c": code, "n": areas[code].name})
        elif not can(actor, MANAGE, code):
            problems.append(_("不在您的管辖范围内：%(c)s %(n)s") % {"c": code, "n": areas[code].name})
    if problems:
        _refuse(_("GeoJSON 有 %(n)s 处问题，未导入任何边界：%(list)s") % {
            "n": len(problems), "list": "；".join(problems[:MAX_LISTED]) + ("……" if len(problems) > MAX_LISTED else "")},
            "geojson_areas_invalid", problems)
    digest = hashlib.sha256(data).hexdigest()
    now = clock.now()
    replaced, _detail = AreaBoundary.objects.filter(area_code__in=codes).delete()
    AreaBoundary.objects.bulk_create([
        AreaBoundary(area_code=code, level=areas[code].level, schematic=False,
                     geometry=json.dumps(geometry, separators=(",", ":")), source_name=(filename or "")[:200],
                     source_sha256=digest, code_property=code_property, uploaded_by=actor, uploaded_at=now)
        for code, geometry in features])
    result = UploadResult(stored=len(features), replaced=replaced, codes=sorted(codes), sha256=digest)
    audit_event(actor=actor, action="progress.boundaries_upload", area_code=_common_area(codes),
                details={"file": (filename or "")[:200], "sha256": digest, "property": code_property,
                         "stored": result.stored, "replaced": replaced, "codes": result.codes[:100]})
    return result


@transaction.atomic
def boundaries_clear(*, actor, area_code: str) -> int:
    """Remove the boundaries of an area and everything below it (the map falls back to the schematic)."""
    from fupin.areas.selectors import area_get

    area = area_get(area_code)
    require(actor, MANAGE, area.code)
    removed, _detail = AreaBoundary.objects.filter(area_code__startswith=area.prefix).delete()
    audit_event(actor=actor, action="progress.boundaries_clear", area_code=area.code, details={"removed": removed})
    return removed


def boundary_features(codes: list[str]) -> dict[str, AreaBoundary]:
    """The stored boundaries of these areas (the caller has scoped the codes)."""
    return {b.area_code: b for b in AreaBoundary.objects.filter(area_code__in=codes)}


def schematic_rectangles(villages: list[Area], *, west: float, north: float, columns: int = 4,
                         size: float = 0.04) -> dict:
    """A FeatureCollection of generated rectangles, one per village, laid out in a grid: demonstration
    data only (示意), never real boundaries."""
    features = []
    for n, village in enumerate(villages):
        row, col = divmod(n, columns)
        x0, y0 = round(west + col * size, 6), round(north - row * size, 6)
        x1, y1 = round(x0 + size * 0.96, 6), round(y0 - size * 0.96, 6)
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        features.append({"type": "Feature", "properties": {"code": village.code, "name": village.name},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}
