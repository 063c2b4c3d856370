"""Geographic boundaries from an uploaded GeoJSON: every bad input is refused with its own message and
nothing is stored; only managers upload, only inside their county; the battle map draws the uploaded
boundaries (coloured like the tiles) instead of the schematic tiles."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import PermissionDenied, ValidationFailed
from fupin.progress import boundaries
from fupin.progress.indicators import indicators_refresh
from fupin.progress.models import AreaBoundary

pytestmark = pytest.mark.django_db


def square(x: float = 122.5, y: float = 42.4, size: float = 0.05) -> dict:
    return {"type": "Polygon",
            "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def feature(code, geometry=None, prop: str = "code") -> dict:
    return {"type": "Feature", "properties": {prop: code, "name": "x"}, "geometry": geometry or square()}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def upload(actor, data: bytes, prop: str = "code"):
    return boundaries.boundaries_upload(actor=actor, data=data, filename="villages.geojson", code_property=prop)


def test_upload_stores_each_area_and_replaces_on_reupload(officer):
    multi = {"type": "MultiPolygon", "coordinates": [square()["coordinates"], square(123)["coordinates"]]}
    result = upload(officer, collection(feature(VILLAGE), feature(int(OTHER_VILLAGE), multi), feature(TOWNSHIP)))
    assert (result.stored, result.replaced) == (3, 0)
    stored = {b.area_code: b for b in AreaBoundary.objects.all()}
    assert set(stored) == {VILLAGE, OTHER_VILLAGE, TOWNSHIP + "000"}
    assert stored[VILLAGE].level == 5 and stored[TOWNSHIP + "000"].level == 4
    assert json.loads(stored[OTHER_VILLAGE].geometry)["type"] == "MultiPolygon"
    assert stored[VILLAGE].uploaded_by == officer and stored[VILLAGE].source_name == "villages.geojson"
    event = AuditEvent.objects.filter(action="progress.boundaries_upload").get()
    assert event.details["stored"] == 3 and event.details["sha256"] == result.sha256

    again = upload(officer, collection(feature(VILLAGE, square(121))))
    assert (again.stored, again.replaced) == (1, 1)
    assert json.loads(AreaBoundary.objects.get(area_code=VILLAGE).geometry)["coordinates"][0][0] == [121, 42.4]
    assert AreaBoundary.objects.count() == 3


def test_the_code_property_is_chosen_by_the_user(officer):
    assert upload(officer, collection(feature(VILLAGE, prop="adcode")), prop="adcode").stored == 1
    with pytest.raises(ValidationFailed, match="属性“code”应为6位"):
        upload(officer, collection(feature(OTHER_VILLAGE, prop="adcode")))


BAD = [
    (b"\x00" * 10 + b" " * boundaries.MAX_BYTES, "file_too_large", "文件过大"),
    (b"", "empty_file", "文件为空"),
    (b"{not json", "bad_json", "不是有效的 JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "bad_json", "不是有效的 JSON"),
    ("{}".encode("utf-16"), "bad_json", "不是有效的 JSON"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": NaN}}]}',
     "bad_json", "不是有效的 JSON"),
    (json.dumps({"type": "Feature", "geometry": square()}).encode(), "not_feature_collection", "FeatureCollection"),
    (json.dumps([1, 2]).encode(), "not_feature_collection", "FeatureCollection"),
    (collection(), "no_features", "没有要素"),
    (collection({"type": "Point", "coordinates": [1, 2]}), "geojson_invalid", "不是 Feature"),
    (collection(feature(VILLAGE, {"type": "Point", "coordinates": [122.5, 42.4]})), "geojson_invalid",
     "几何类型应为 Polygon 或 MultiPolygon"),
    (collection(feature(VILLAGE, {"type": "LineString", "coordinates": [[1, 2], [3, 4]]})), "geojson_invalid",
     "几何类型应为 Polygon 或 MultiPolygon"),
    (collection(feature(VILLAGE, {"type": "Polygon", "coordinates": [[[122, "42"], [123, 42], [123, 43], [122, "42"]]]})),
     "geojson_invalid", "坐标应为数字"),
    (collection(feature(VILLAGE, {"type": "Polygon", "coordinates": [[[122, 42], [True, 42], [123, 43], [122, 42]]]})),
     "geojson_invalid", "坐标应为数字"),
    (collection(feature(VILLAGE, square(x=200))), "geojson_invalid", "超出经纬度范围"),
    (collection(feature(VILLAGE, square(y=89.99))), "geojson_invalid", "超出经纬度范围"),
    (collection(feature(VILLAGE, {"type": "Polygon", "coordinates": [[[122, 42], [123, 42], [123, 43], [122, 43]]]})),
     "geojson_invalid", "边界环未闭合"),
    (collection(feature(VILLAGE, {"type": "Polygon", "coordinates": [[[122, 42], [123, 42], [122, 42]]]})),
     "geojson_invalid", "至少应有4个坐标点"),
    (collection(feature(VILLAGE, {"type": "Polygon", "coordinates": []})), "geojson_invalid", "缺少坐标"),
    (collection({"type": "Feature", "properties": {"name": "无代码"}, "geometry": square()}), "geojson_invalid",
     "属性“code”应为6位"),
    (collection(feature("2109221012")), "geojson_invalid", "属性“code”应为6位"),
    (collection(feature(210922101202.0)), "geojson_invalid", "属性“code”应为6位"),
    (collection(feature(VILLAGE), feature(OTHER_VILLAGE), feature(VILLAGE)), "geojson_invalid",
     "代码与第1个要素重复"),
    (collection(feature(TOWNSHIP), feature(TOWNSHIP + "000")), "geojson_invalid", "代码与第1个要素重复"),
    (collection(feature("210922101299")), "geojson_areas_invalid", "区划代码不存在：210922101299"),
    (collection(feature(VILLAGE), feature("210921001001")), "geojson_areas_invalid", "不在您的管辖范围内"),
    (collection(feature("210921")), "geojson_areas_invalid", "不在您的管辖范围内：210921000000"),
    (collection(feature("210900")), "geojson_areas_invalid", "只接受县、乡镇、村的边界"),
]


@pytest.mark.parametrize(("data", "code", "message"), BAD, ids=[f"{n}-{b[1]}" for n, b in enumerate(BAD)])
def test_each_bad_file_is_refused_and_nothing_changes(officer, data, code, message):
    upload(officer, collection(feature(VILLAGE, square(100, 40))))
    before = list(AreaBoundary.objects.values_list("area_code", "geometry"))
    with pytest.raises(ValidationFailed, match=message) as caught:
        upload(officer, data)
    assert caught.value.code == code and caught.value.details["errors"]
    assert list(AreaBoundary.objects.values_list("area_code", "geometry")) == before
    assert AuditEvent.objects.filter(action="progress.boundaries_upload").count() == 1


def test_every_problem_is_named_at_once(officer):
    data = collection(feature(VILLAGE, square(x=181)), feature("abc"), feature(OTHER_VILLAGE))
    with pytest.raises(ValidationFailed) as caught:
        upload(officer, data)
    errors = caught.value.details["errors"]
    assert len(errors) == 2 and "第1个要素" in errors[0] and "第2个要素" in errors[1]
    assert not AreaBoundary.objects.exists()


def test_a_bad_property_name_is_refused(officer):
    with pytest.raises(ValidationFailed, match="代码属性名"):
        upload(officer, collection(feature(VILLAGE)), prop="代码 属性;")


def test_only_managers_upload(reviewer, clerk):
    for actor in (reviewer, clerk):
        with pytest.raises(PermissionDenied):
            upload(actor, collection(feature(VILLAGE)))
    assert not AreaBoundary.objects.exists()


def test_clearing_falls_back_to_the_schematic(officer, reviewer):
    upload(officer, collection(feature(VILLAGE), feature(OTHER_VILLAGE)))
    with pytest.raises(PermissionDenied):
        boundaries.boundaries_clear(actor=reviewer, area_code=TOWNSHIP)
    assert boundaries.boundaries_clear(actor=officer, area_code=TOWNSHIP) == 2
    assert not AreaBoundary.objects.exists()


# --- pages and the API --------------------------------------------------------------------------

def test_upload_page_matrix(make_user, token_for, officer):
    upload(officer, collection(feature(VILLAGE)))
    # generated demonstration shapes have no uploader and show as 示意
    AreaBoundary.objects.create(area_code=OTHER_VILLAGE, level=5, geometry=json.dumps(square()), schematic=True,
                                source_name="示意边界", uploaded_at=timezone.now())
    Matrix("/progress/boundaries/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, marker=VILLAGE,
           other_area_refused=False).check(make_user, token_for)
    # viewers of the map may not open the upload page
    client = Client()
    client.force_login(make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP))
    assert client.get("/progress/boundaries/").status_code == 403


def _post_page(client, data: bytes, prop: str = "code"):
    return client.post("/progress/boundaries/", {"code_property": prop,
                                                 "file": SimpleUploadedFile("b.geojson", data)})


def test_upload_page_stores_or_names_the_problems(client, officer):
    client.force_login(officer)
    bad = _post_page(client, collection(feature(VILLAGE, square(x=190)), feature("210922101299")))
    assert bad.status_code == 200 and "超出经纬度范围" in bad.content.decode()
    assert not AreaBoundary.objects.exists()
    good = _post_page(client, collection(feature(VILLAGE), feature(OTHER_VILLAGE)))
    assert good.status_code == 302 and AreaBoundary.objects.count() == 2
    assert "已导入 2 个区域的边界" in client.get(good.url).content.decode()


def _api_post(token: str | None, data: bytes, prop: str = "code"):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post("/api/progress/boundaries", {"code_property": prop,
                                                     "file": SimpleUploadedFile("b.geojson", data)}, **extra)


def test_upload_endpoint_matrix(make_user, token_for):
    data = collection(feature(VILLAGE))
    assert _api_post(None, data).status_code == 401
    assert _api_post(token_for(make_user(None)), data).status_code == 403
    assert _api_post(token_for(make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)), data).status_code == 403
    outsider = _api_post(token_for(make_user(Role.COUNTY_OFFICER, OTHER_COUNTY)), data)
    assert outsider.status_code == 400 and outsider.json()["error"]["code"] == "geojson_areas_invalid"
    assert not AreaBoundary.objects.exists()
    response = _api_post(token_for(make_user(Role.COUNTY_OFFICER, COUNTY)), data)
    assert response.status_code == 201 and response.json()["codes"] == [VILLAGE]
    bad = _api_post(token_for(make_user(Role.COUNTY_OFFICER, COUNTY)), b"[]")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "not_feature_collection"


def test_battle_map_draws_uploaded_boundaries(client, officer, reviewer, households):
    indicators_refresh(year=2020)
    client.force_login(reviewer)
    url = f"/progress/map/{TOWNSHIP}000/"
    before = client.get(url).content.decode()
    assert 'data-testid="tiles"' in before and "data-geo=" not in before and "echarts-6.1.0.common.min.js" in before

    upload(officer, collection(feature(VILLAGE)))
    page = client.get(url).content.decode()
    assert "data-geo=" in page and "echarts-6.1.0.min.js" in page and "progress/geomap.js" in page
    geo = json.loads(page.split('data-geo="')[1].split('"')[0].replace("&quot;", '"'))
    assert [f["properties"]["name"] for f in geo["geojson"]["features"]] == [VILLAGE]
    region = geo["regions"][0]
    # 富有村: 2 of its 4 households reach the standard: red, like its tile; a click opens the village
    assert region["label"] == "富有村委会" and region["colour"] == "#e06c75" and region["percent"] == 50
    assert region["url"] == f"/progress/map/{VILLAGE}/?year=2020"
    assert "黄花山村委会" in page.split("未上传边界：")[1].split("<")[0]
    # the county level has no township boundaries: still the schematic there
    county = client.get(f"/progress/map/{COUNTY}000000/")
    assert county.status_code == 403 or "data-geo=" not in county.content.decode()


def test_boundaries_endpoint(make_user, token_for, officer, households):
    indicators_refresh(year=2020)
    upload(officer, collection(feature(VILLAGE), feature(OTHER_VILLAGE)))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP))}"}
    body = Client().get(f"/api/progress/areas/{TOWNSHIP}/boundaries", **headers).json()
    assert [r["label"] for r in body["regions"]] == ["富有村委会", "黄花山村委会"]
    assert "柳树村委会" in body["missing"] and body["geojson"]["type"] == "FeatureCollection"
    other = Client().get("/api/progress/areas/210922102/boundaries", **headers)
    assert other.status_code == 404
