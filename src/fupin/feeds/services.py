"""Writes of the feeds context: loading a department file (validate, match, store facts, raise alerts, all
in one transaction per file) and handling an alert. Keyword-only, actor first, audited."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.access import can, require
from fupin.accounts.roles import Role
from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.feeds import engine
from fupin.feeds.kinds import FeedKind, feed_kind
from fupin.feeds.models import AlertStatus, DepartmentAlert, FeedRecord, FeedUpload, UploadStatus
from fupin.feeds.reading import LayoutError, read_feed
from fupin.registry.models import Household, Person

MAX_PROBLEMS_KEPT = 2000
INSERT_BATCH = 5000
NOTE_MAX = 2000


def actor_departments(actor) -> set[str]:
    """The departments the actor works for as a department user (empty for county staff)."""
    return set(actor.assignments.filter(role=Role.DEPARTMENT_USER).values_list("department", flat=True))


def check_may_upload(actor, kind: FeedKind, county: Area) -> None:
    """feeds.upload in the county; a department user only for their own department's kinds, and a kind with
    no department (county staff only) not at all."""
    require(actor, "feeds.upload", county.code)
    departments = actor_departments(actor)
    county_staff = actor.assignments.filter(role__in=[Role.COUNTY_ADMIN, Role.COUNTY_OFFICER]).exists()
    if not county_staff and kind.department not in departments:
        raise PermissionDenied(_("“%(kind)s”由%(dept)s报送，您不能上传") % {"kind": kind.title,
                                                                        "dept": kind.department_label},
                               code="wrong_department")


def _county(county_code: str) -> Area:
    county = Area.objects.current().filter(code=county_code.ljust(12, "0")[:12], level=AreaLevel.COUNTY).first()
    if county is None:
        raise ValidationFailed(_("不是县级区划代码：%(c)s") % {"c": county_code}, code="not_a_county")
    return county


def default_year(county: Area) -> int:
    """The latest registry year of the county (the "current year" of the registry)."""
    year = Household.objects.filter(village__code__startswith=county.prefix).order_by("-year").values_list(
        "year", flat=True).first()
    if year is None:
        raise ValidationFailed(_("%(c)s 还没有建档立卡数据，无法比对") % {"c": county.name}, code="no_registry")
    return year


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def upload_create(*, actor, kind_key: str, county_code: str, file_name: str, path: Path,
                  year: int | None = None) -> FeedUpload:
    """Record an upload (queued) after the permission checks; `feed_process` does the work."""
    kind = feed_kind(kind_key)
    county = _county(county_code)
    if actor is not None:  # None: the system itself (the command line without --user), every area
        check_may_upload(actor, kind, county)
    year = year or default_year(county)
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("年度应在2000到2100之间"), code="bad_year")
    with transaction.atomic():
        upload = FeedUpload.objects.create(kind=kind.key, department=kind.department, county=county, year=year,
                                           file_name=file_name[:200], sha256=file_digest(path), uploaded_by=actor)
        audit_event(actor=actor, action="feeds.upload", target=upload, area_code=county.code,
                    details={"kind": kind.key, "file": file_name[:200], "year": year})
    return upload


# --------------------------------------------------------------------------------- the registry side

def registry_frame(county: Area, year: int) -> pl.DataFrame:
    """The persons of the county's registry year: ID number, person, household, village, 家庭纯收入 in cents."""
    sql = (f"SELECT p.id_number, p.id, p.household_id, a.code, h.net_income "
           f"FROM {Person._meta.db_table} p JOIN {Household._meta.db_table} h ON h.id = p.household_id "
           f"JOIN {Area._meta.db_table} a ON a.id = h.village_id WHERE p.year = %s AND a.code LIKE %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, county.prefix + "%"])
        rows = cursor.fetchall()
    ids, persons, households, villages, incomes = (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 5
    return pl.DataFrame({"id_number": ids, "person_id": persons, "household_id": households, "village_code": villages,
                         "net_income_cents": [int(Decimal(str(x)) * 100) for x in incomes]},
                        schema=engine.REGISTRY_SCHEMA)


def params_frame(kind: FeedKind, villages: list[str], year: int) -> pl.DataFrame:
    """The rule's pack parameter per village, from the pack in force there that year."""
    from fupin.policy.selectors import packs_for_area

    rows = {"village_code": [], "param_value": [], "pack": []}
    if kind.rule.param:
        for code in villages:
            pack = next((p for p in packs_for_area(code, year) if kind.rule.param in p.parameters), None)
            if pack is None:
                raise ValidationFailed(_("%(code)s 在 %(year)s 年没有含参数 %(param)s 的政策包，无法判断“%(rule)s”")
                                       % {"code": code, "year": year, "param": kind.rule.param,
                                          "rule": kind.rule.title}, code="no_pack")
            rows["village_code"].append(code)
            rows["param_value"].append(float(pack.parameters[kind.rule.param].value))
            rows["pack"].append(pack.key)
    return pl.DataFrame(rows, schema=engine.PARAMS_SCHEMA)


def _earlier(kind: FeedKind, year: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    facts = list(FeedRecord.objects.filter(kind=kind.key, year=year).values_list("fact_key", flat=True))
    known = pl.DataFrame({"fact_key": facts}, schema={"fact_key": pl.Utf8})
    sums = {"household_id": [], "cents": []}
    if kind.rule.type == "household_sum_over_income":
        from django.db.models import Sum

        for household_id, total in (FeedRecord.objects.filter(kind=kind.key, year=year)
                                    .values_list("household_id").annotate(total=Sum("amount"))):
            sums["household_id"].append(household_id)
            sums["cents"].append(int((total or 0) * 100))
    earlier = pl.DataFrame(sums, schema={"household_id": pl.Int64, "cents": pl.Int64})
    prefix = f"{kind.key}:{kind.rule.id}:"
    raised = pl.DataFrame({"alert_key": list(DepartmentAlert.objects.filter(fact_key__startswith=prefix)
                                             .values_list("fact_key", flat=True))}, schema={"alert_key": pl.Utf8})
    return known, earlier, raised


# ------------------------------------------------------------------------------------------ loading

def _money(cents) -> Decimal | None:
    return None if cents is None else (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


def _record_data(row: dict, kind: FeedKind) -> dict:
    return {c.header: (row.get(c.key) or "").strip() for c in kind.columns if c.key != "id_number"}


def feed_process(*, actor, upload: FeedUpload, path: Path, progress=None) -> FeedUpload:
    """Read, validate and match the file, then store its new facts and raise its alerts in one transaction.
    A layout problem refuses the whole file (the upload is marked failed with the reason)."""
    kind = feed_kind(upload.kind)
    report = progress or (lambda done, total, message="": None)
    report(0, 4, _("读取文件"))
    try:
        frame = read_feed(path, kind)
    except LayoutError as exc:
        _fail(upload, exc.message)
        raise ValidationFailed(exc.message, code=exc.code) from exc
    report(1, 4, _("比对建档立卡人口"))
    registry = registry_frame(upload.county, upload.year)
    villages = registry.get_column("village_code").unique().sort().to_list()
    params = params_frame(kind, villages, upload.year)
    with transaction.atomic():
        # Lock the upload row, then re-read what earlier uploads stored: two uploads of one kind are
        # processed one after the other, so a fact is never stored or alerted twice.
        FeedUpload.objects.select_for_update().filter(kind=kind.key).order_by("pk").first()
        known, earlier, raised = _earlier(kind, upload.year)
        result = engine.feed_match(frame, kind, year=upload.year, registry=registry, params=params,
                                   known_facts=known, earlier_sums=earlier, raised=raised)
        report(2, 4, _("保存数据"))
        record_ids = _store_records(upload, kind, result.rows)
        report(3, 4, _("产生预警"))
        alerts = _store_alerts(upload, kind, result.alerts, record_ids)
        _finish(upload, result, alerts, same_file=_same_file(upload))
        audit_event(actor=actor, action="feeds.process", target=upload, area_code=upload.county.code,
                    details={"kind": kind.key, "rows": upload.rows_total, "accepted": upload.rows_accepted,
                             "invalid": upload.rows_invalid, "duplicate": upload.rows_duplicate,
                             "unknown": upload.rows_unknown, "alerts": alerts})
    report(4, 4, _("完成"))
    return upload


def _same_file(upload: FeedUpload) -> FeedUpload | None:
    return (FeedUpload.objects.filter(kind=upload.kind, county=upload.county, sha256=upload.sha256,
                                      status=UploadStatus.DONE).exclude(pk=upload.pk).order_by("pk").first())


def _fail(upload: FeedUpload, message: str) -> None:
    FeedUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.FAILED, message=message[:500],
                                                   finished_at=timezone.now())
    upload.refresh_from_db()


def _store_records(upload: FeedUpload, kind: FeedKind, rows: pl.DataFrame) -> dict[str, int]:
    accepted = rows.filter(pl.col("_status") == engine.ACCEPTED)
    if "_fact_key" not in accepted.columns:
        accepted = accepted.with_columns(engine.fact_key(kind))
    amount = f"{kind.amount}__cents" if kind.amount else None
    objects = []
    for row in accepted.iter_rows(named=True):
        objects.append(FeedRecord(
            upload=upload, kind=kind.key, fact_key=row["_fact_key"][:200], row_number=row["_row"], year=upload.year,
            household_id=row["household_id"], person_id=row["person_id"], occurred_on=row[f"{kind.date}__date"],
            amount=_money(row[amount]) if amount else None, data=_record_data(row, kind)))
    FeedRecord.objects.bulk_create(objects, batch_size=INSERT_BATCH)
    wanted = dict(FeedRecord.objects.filter(upload=upload).values_list("fact_key", "pk"))
    return wanted


def _store_alerts(upload: FeedUpload, kind: FeedKind, alerts: pl.DataFrame, record_ids: dict[str, int]) -> int:
    ids = alerts.get_column("household_id").to_list() if alerts.height else []
    village_of = {}
    for start in range(0, len(ids), INSERT_BATCH):
        village_of.update(Household.objects.filter(pk__in=ids[start:start + INSERT_BATCH]).values_list("pk", "village_id"))
    objects = []
    for a in alerts.iter_rows(named=True):
        values = {"facts": a["facts"]}
        threshold = {}
        if a["value_cents"] is not None:
            values.update(amount=str(_money(a["value_cents"])), income=str(_money(a["income_cents"])))
            threshold = {"param": kind.rule.param, "factor": a["param_value"], "pack": a["pack"],
                         "limit": str(_money(a["limit_cents"]))}
        objects.append(DepartmentAlert(
            kind=kind.key, rule=kind.rule.id, rule_title=kind.rule.title, fact_key=a["alert_key"], year=upload.year,
            household_id=a["household_id"], person_id=a["person_id"],
            village_id=village_of[a["household_id"]], upload=upload,
            record_id=record_ids.get(a["_fact_key"]), values=values, threshold=threshold,
            risk_types=list(kind.risk_types)))
    DepartmentAlert.objects.bulk_create(objects, batch_size=INSERT_BATCH)
    return len(objects)


def _finish(upload: FeedUpload, result: engine.MatchResult, alerts: int, *, same_file) -> None:
    counts = dict(result.rows.group_by("_status").len().iter_rows())
    problems = (result.rows.filter(pl.col("_status") != engine.ACCEPTED).head(MAX_PROBLEMS_KEPT)
                .select("_row", "_status", "_problem", "id_number").iter_rows())
    upload.problems = [{"row": r, "status": s, "problem": p or "", "id_number": i or ""} for r, s, p, i in problems]
    upload.rows_total = result.rows.height
    upload.rows_accepted = counts.get(engine.ACCEPTED, 0)
    upload.rows_invalid = counts.get(engine.INVALID, 0)
    upload.rows_duplicate = counts.get(engine.DUPLICATE, 0) + counts.get(engine.KNOWN, 0)
    upload.rows_unknown = counts.get(engine.UNKNOWN, 0)
    upload.alerts_raised = alerts
    upload.status = UploadStatus.DONE
    upload.finished_at = timezone.now()
    message = _("共%(n)s行：接收%(a)s行，错误%(i)s行，重复%(d)s行，身份证号未匹配%(u)s行；产生预警%(w)s条") % {
        "n": upload.rows_total, "a": upload.rows_accepted, "i": upload.rows_invalid, "d": upload.rows_duplicate,
        "u": upload.rows_unknown, "w": alerts}
    if same_file is not None:
        message += _("。同一文件已于%(t)s上传过，重复的记录未再计入") % {"t": f"{same_file.created_at:%Y-%m-%d %H:%M}"}
    upload.message = message[:500]
    upload.save()


def feed_load(*, actor, kind_key: str, county_code: str, path: Path, file_name: str = "",
              year: int | None = None, progress=None) -> FeedUpload:
    """Record and process a file in one go (the command line, small uploads, tests)."""
    upload = upload_create(actor=actor, kind_key=kind_key, county_code=county_code,
                           file_name=file_name or Path(path).name, path=Path(path), year=year)
    return feed_process(actor=actor, upload=upload, path=Path(path), progress=progress)


# ------------------------------------------------------------------------------------------ handling

OUTCOMES = (AlertStatus.VERIFIED, AlertStatus.NOT_APPLICABLE, AlertStatus.MONITORING)


def case_propose_available() -> bool:
    try:
        from fupin.monitoring import services as monitoring_services
    except ImportError:
        return False
    return hasattr(monitoring_services, "case_propose")


@transaction.atomic
def alert_handle(*, actor, alert: DepartmentAlert, outcome: str, note: str, version: int) -> DepartmentAlert:
    """核实处理: verified / not applicable / 转入监测 (proposes a monitoring case), with a note."""
    require(actor, "alert.handle", alert.village.code)
    errors = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _("处理结果应为：%(o)s") % {"o": "、".join(str(o.label) for o in OUTCOMES)}
    note = (note or "").strip()
    if not note:
        errors["note"] = _("请填写处理说明（核实情况）")
    elif len(note) > NOTE_MAX:
        errors["note"] = _("处理说明不能超过%(n)s个字") % {"n": NOTE_MAX}
    if errors:
        raise ValidationFailed("；".join(errors.values()), details={"errors": errors})
    current = DepartmentAlert.objects.select_for_update().get(pk=alert.pk)
    if current.version != version:
        raise Conflict(_("该预警已被他人处理或修改，请刷新后再试"), code="stale")
    if current.status != AlertStatus.OPEN:
        raise Conflict(_("该预警已处理（%(s)s），不能再次处理") % {"s": current.get_status_display()},
                       code="already_handled")
    if outcome == AlertStatus.MONITORING:
        if not case_propose_available():
            raise ValidationFailed(_("监测功能尚未启用，暂不能转入监测"), code="monitoring_unavailable")
        from fupin.monitoring.services import case_propose

        case = case_propose(actor=actor, household=current.household, found_by="department_alert",
                            reason=f"{current.rule_title}：{note}", risk_types=list(current.risk_types),
                            source=f"alert:{current.pk}")
        current.case_ref = str(getattr(case, "pk", "") or "")[:60]
    before = {"status": current.status}
    current.status = outcome
    current.note = note
    current.handled_by = actor
    current.handled_at = timezone.now()
    current.version += 1
    current.save()
    audit_event(actor=actor, action="feeds.alert_handle", target=current, area_code=current.village.code,
                before=before, after={"status": outcome, "note": note, "case": current.case_ref})
    return current


def may_handle(actor, alert: DepartmentAlert) -> bool:
    return alert.status == AlertStatus.OPEN and can(actor, "alert.handle", alert.village.code)
