"""公益岗位台账: one row per post and its holder. The holder is found by 证件号码 in the registry and
checked as on the page (a member of a registered or monitored household of the post's village, within
the age limits); the name (and 户编号 when given) must match the registry. One person holds one post:
not twice in the file, not while already on an active post."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.core.errors import ApplicationError
from fupin.funds.codes import job_code
from fupin.funds.models import JobFunding, JobStatus, JobType, PublicJob
from fupin.funds.services.jobs import check_holder
from fupin.registry.models import Person

from .base import Context, Ledger, Rows
from .sheet import SERIAL, Col

COLUMNS = [
    Col("serial", SERIAL, "text", required=False, example="示例", note="可留空；填“示例”的行不导入"),
    Col("village_code", "所在村代码", "code", example="210922101202", note="12位行政村区划代码"),
    Col("job_type", "岗位类型", "choice", choices=JobType, example=JobType.CLEANER.label),
    Col("funding", "资金来源", "choice", required=False, choices=JobFunding, example=JobFunding.PV.label,
        note="留空为光伏收益"),
    Col("holder_name", "上岗人员姓名", "text", example="赵大", max_length=50, note="须与建档立卡登记的姓名一致"),
    Col("holder_id_number", "证件号码", "id_number", example="210922196501010011",
        note="上岗人员的身份证号码，须在建档立卡或监测户中登记；请设为文本格式"),
    Col("household_number", "户编号", "code", required=False, example="210922101202000101",
        note="可留空；填写时须与证件号码所在户一致"),
    Col("monthly_pay", "月工资（元）", "money", example=500, positive=True),
    Col("starts_on", "聘用开始", "date", example="2020-01-01"),
    Col("contract_no", "劳务聘用协议编号", "text", required=False, example="GYG-2020-001", max_length=60),
    Col("age_exception", "超龄特殊情况说明", "text", required=False, example="", max_length=200,
        note="超过男65、女60周岁（最多男70、女65周岁）时必须填写理由"),
]
H = {c.key: c.header for c in COLUMNS}
NOTES = [_lazy("岗位编号由系统按村生成。一人只能安排一个公益岗位：同一证件号码在文件中只能出现一次，已在岗的人员不能再导入。"),
         _lazy("上岗人员须是本村建档立卡户或监测户的成员，年满16周岁；年龄上限按资金规则核验。")]

HOLDER_COLUMN = {"holder_over_age": "age_exception"}


def _persons(ids: set[str]) -> dict[str, Person]:
    """The latest registry snapshot of each person, by certificate number."""
    out: dict[str, Person] = {}
    for p in (Person.objects.filter(id_number__in=ids).select_related("household__village")
              .order_by("id_number", "-year", "-id")):
        out.setdefault(p.id_number, p)
    return out


def check(ctx: Context, rows: Rows) -> list:
    ctx.unique_in_file(rows, lambda v: v.get("holder_id_number"), H["holder_id_number"], _("一人只能安排一个岗位"))
    ctx.unique_in_file(rows, lambda v: v.get("contract_no"), H["contract_no"], _("劳务聘用协议编号"))
    ids = {v["holder_id_number"] for _n, v in rows if "holder_id_number" in v}
    persons = _persons(ids)
    on_post = set(PublicJob.objects.filter(holder__id_number__in=ids, status=JobStatus.ACTIVE)
                  .values_list("holder__id_number", flat=True))
    prepared = []
    for n, v in rows:
        village = ctx.village(n, v["village_code"], H["village_code"]) if "village_code" in v else None
        if village is None or "holder_id_number" not in v:
            continue
        number = v["holder_id_number"]
        person = persons.get(number)
        if person is None:
            ctx.add(n, H["holder_id_number"], _("建档立卡和监测户中没有该证件号码的人员"), "unknown_person", number)
            continue
        if "holder_name" in v and v["holder_name"] != person.name:
            ctx.add(n, H["holder_name"], _("与该证件号码登记的姓名不符"), "name_mismatch", v["holder_name"])
        if v.get("household_number") and v["household_number"] != person.household.household_number:
            ctx.add(n, H["household_number"], _("该证件号码的人员不在此户"), "household_mismatch", v["household_number"])
        if number in on_post:
            ctx.add(n, H["holder_id_number"], _("该人员已在公益岗位上岗，一人只安排一个岗位"), "duplicate_in_database", number)
        if "starts_on" in v:
            try:
                check_holder(person, village.code, v["starts_on"], age_exception=v.get("age_exception", ""))
            except ApplicationError as exc:
                ctx.add(n, H[HOLDER_COLUMN.get(exc.code, "holder_id_number")], exc.message, exc.code, number)
        if ctx.row_ok(n):
            prepared.append((village, person, v))
    return prepared


def write(actor, prepared: list) -> list[str]:
    codes = []
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    for village, person, v in prepared:
        job = PublicJob.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", village=village, job_type=v["job_type"],
            funding=v.get("funding", JobFunding.PV), holder=person, monthly_pay=v["monthly_pay"],
            starts_on=v["starts_on"], contract_no=v.get("contract_no", ""), age_exception=v.get("age_exception", ""),
            created_by=created_by)
        job.code = job_code(village.code, job.pk)
        job.save(update_fields=["code"])
        codes.append(job.code)
    return codes


LEDGER = Ledger(kind="posts", title="公益岗位台账", noun="岗位", tab="jobs", columns=COLUMNS, notes=NOTES,
                check=check, write=write)
