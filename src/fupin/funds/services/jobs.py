"""公益岗位: posts, holders, monthly attendance and pay.

* A holder is a member of a registered household (建档立卡) or of a monitored household (监测对象) living
  in the post's village (000 L8471「支持老弱病残贫困人口或半劳力人口」; 000 L11567「光伏扶贫收益资金开发更多公益性岗位，多渠道安置监测对」).
* Age limits (`[pack.jobs]`): 男 65、女 60, extended to 男 70、女 65 only with a recorded special reason
  (000 L5058「龄放宽到男 65 周岁、女 60 周岁，特殊情况可放宽到男 70 周」); at least 16.
* Pay is recorded month by month against the month's attendance, to the holder only, never above the
  post's monthly pay; attendance and pay are append-only and corrected by reversing entries.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds.codes import job_code
from fupin.funds.ledger import yuan
from fupin.funds.models import ZERO, JobAttendance, JobFunding, JobPayment, JobStatus, JobType, PublicJob
from fupin.funds.rules import rules_for
from fupin.registry.models import Person

from ._common import actor_or_none, allow, as_choice, as_date, as_int, as_money, check_version
from .distribution import ELIGIBLE_HOUSEHOLDS
from .pv import village_area


def _age(birth, on) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_holder(person: Person, village_code: str, starts_on, *, age_exception: str = "") -> None:
    household = person.household
    if household.village.code != village_code:
        raise ValidationFailed(_("%(n)s 是%(v)s的村民，不能在本村（%(c)s）公益岗位上岗")
                               % {"n": person.name, "v": household.village.name, "c": village_code},
                               code="person_outside_village")
    if household.status not in ELIGIBLE_HOUSEHOLDS and not household.monitoring_type:
        raise ValidationFailed(_("%(n)s 所在户 %(h)s 既不是建档立卡户也不是监测户，不能安排扶贫公益岗位")
                               % {"n": person.name, "h": household.household_number}, code="holder_not_eligible")
    rules = rules_for(village_code, starts_on.year)
    age = _age(person.birth_date, starts_on)
    male = person.sex == "1"
    limit = rules.jobs["max_age_male" if male else "max_age_female"]
    special = rules.jobs["max_age_male_special" if male else "max_age_female_special"]
    source = rules.sources.get("job_age", "")
    if age < rules.jobs["min_age"]:
        raise ValidationFailed(_("%(n)s 上岗时 %(a)s 周岁，未满 %(m)s 周岁（%(s)s）")
                               % {"n": person.name, "a": age, "m": rules.jobs["min_age"], "s": source},
                               code="holder_too_young")
    if age > special or (age > limit and not age_exception.strip()):
        raise ValidationFailed(
            _("%(n)s 上岗时 %(a)s 周岁，超过年龄上限 %(l)s 周岁（特殊情况并说明理由可放宽到 %(sp)s 周岁；%(s)s）")
            % {"n": person.name, "a": age, "l": limit, "sp": special, "s": source}, code="holder_over_age",
            details={"age": age, "limit": limit, "special_limit": special})


def job_create(*, actor, village_code: str, job_type: str, holder_id, monthly_pay, starts_on, funding: str = JobFunding.PV,
               contract_no: str = "", age_exception: str = "") -> PublicJob:
    village = village_area(village_code, _("所在村"))
    allow(actor, "funds.edit", village.code)
    job_type = as_choice(job_type, JobType, _("岗位类型"))
    funding = as_choice(funding, JobFunding, _("资金来源"))
    starts_on = as_date(starts_on, _("聘用开始"), not_future=False)
    pay = as_money(monthly_pay, _("月工资"))
    person = Person.objects.select_related("household__village").filter(pk=holder_id).first()
    if person is None:
        raise ValidationFailed(_("找不到上岗人员（%(p)s）") % {"p": holder_id}, code="unknown_person")
    check_holder(person, village.code, starts_on, age_exception=str(age_exception or ""))
    with transaction.atomic():
        if PublicJob.objects.filter(holder__id_number=person.id_number, status=JobStatus.ACTIVE).exists():
            raise ValidationFailed(_("%(n)s 已在公益岗位上岗，一人只安排一个岗位") % {"n": person.name}, code="holder_has_job")
        job = PublicJob.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", village=village, job_type=job_type, funding=funding, holder=person,
            monthly_pay=pay, starts_on=starts_on, contract_no=str(contract_no or "")[:60],
            age_exception=str(age_exception or "")[:200], created_by=actor_or_none(actor))
        job.code = job_code(village.code, job.pk)
        job.save(update_fields=["code"])
        audit_event(actor=actor, action="funds.job.create", target=job, area_code=village.code,
                    after={"job_type": job_type, "holder": person.person_number, "monthly_pay": str(pay)})
    return job


def job_end(*, actor, job: PublicJob, on, version) -> PublicJob:
    on = as_date(on, _("解聘日期"))
    with transaction.atomic():
        j = PublicJob.objects.select_for_update().select_related("village").get(pk=job.pk)
        allow(actor, "funds.edit", j.village.code)
        check_version(j, version)
        if j.status != JobStatus.ACTIVE:
            raise Conflict(_("岗位已解聘"), code="bad_status")
        if on < j.starts_on:
            raise ValidationFailed(_("解聘日期不能早于聘用开始（%(d)s）") % {"d": j.starts_on}, code="date_order")
        j.status, j.ends_on = JobStatus.ENDED, on
        j.version += 1
        j.save()
        audit_event(actor=actor, action="funds.job.end", target=j, area_code=j.village.code, after={"ends_on": on})
    return j


def _month(year, month):
    return as_int(year, _("年度"), low=2000, high=2100), as_int(month, _("月份"), low=1, high=12)


def _days_recorded(job: PublicJob, year: int, month: int) -> int:
    return JobAttendance.objects.filter(job=job, year=year, month=month).aggregate(t=Sum("days"))["t"] or 0


def attendance_record(*, actor, job: PublicJob, year, month, days) -> JobAttendance:
    year, month = _month(year, month)
    days = as_int(days, _("出勤天数"), low=0, high=31)
    with transaction.atomic():
        j = PublicJob.objects.select_for_update().select_related("village").get(pk=job.pk)
        allow(actor, "funds.edit", j.village.code)
        if JobAttendance.objects.filter(job=j, year=year, month=month, reverses__isnull=True,
                                        reversed_by__isnull=True).exists():
            raise Conflict(_("%(y)s年%(m)s月考勤已登记；如有错误请先冲正") % {"y": year, "m": month}, code="attendance_exists")
        row = JobAttendance.objects.create(job=j, year=year, month=month, days=days, recorded_on=clock.today(),
                                           created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.job.attendance", target=j, area_code=j.village.code,
                    after={"year": year, "month": month, "days": days})
    return row


def payment_record(*, actor, job: PublicJob, year, month, amount, paid_on, payee_id=None) -> JobPayment:
    """工资发放 to the holder for a month with attendance, within the monthly pay."""
    year, month = _month(year, month)
    amount = as_money(amount, _("发放金额"))
    paid_on = as_date(paid_on, _("发放日期"))
    with transaction.atomic():
        j = PublicJob.objects.select_for_update().select_related("village", "holder__household__village").get(pk=job.pk)
        allow(actor, "funds.edit", j.village.code)
        payee = j.holder
        if payee_id not in (None, "", j.holder_id):
            other = Person.objects.select_related("household__village").filter(pk=payee_id).first()
            if other is None:
                raise ValidationFailed(_("找不到领取人（%(p)s）") % {"p": payee_id}, code="unknown_person")
            if other.household.village_id != j.village_id:
                raise ValidationFailed(_("领取人 %(n)s 是%(v)s的村民，不是本村（%(c)s）的岗位人员")
                                       % {"n": other.name, "v": other.household.village.name, "c": j.village.name},
                                       code="person_outside_village")
            raise ValidationFailed(_("工资只能发放给上岗人员本人（%(n)s）") % {"n": j.holder.name}, code="payee_not_holder")
        if _days_recorded(j, year, month) <= 0:
            raise ValidationFailed(_("%(y)s年%(m)s月没有考勤记录，不能发放工资") % {"y": year, "m": month},
                                   code="no_attendance")
        paid = JobPayment.objects.filter(job=j, year=year, month=month).aggregate(t=Sum("amount"))["t"] or ZERO
        if paid + amount > j.monthly_pay:
            raise ValidationFailed(_("%(y)s年%(m)s月已发 %(p)s，再发 %(a)s 将超过月工资 %(w)s")
                                   % {"y": year, "m": month, "p": yuan(paid), "a": yuan(amount), "w": yuan(j.monthly_pay)},
                                   code="payment_over_monthly_pay")
        row = JobPayment.objects.create(job=j, payee=payee, year=year, month=month, amount=amount, paid_on=paid_on,
                                        created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.job.pay", target=j, area_code=j.village.code,
                    after={"year": year, "month": month, "amount": str(amount)})
    return row


def job_entry_reverse(*, actor, entry: JobAttendance | JobPayment, reason: str):
    """冲正 one attendance or payment entry (once)."""
    if not str(reason or "").strip():
        raise ValidationFailed(_("请填写冲正原因"), code="required")
    model = type(entry)
    with transaction.atomic():
        e = model.objects.select_for_update().select_related("job__village").get(pk=entry.pk)
        allow(actor, "funds.edit", e.job.village.code)
        if e.reverses_id or model.objects.filter(reverses=e).exists():
            raise Conflict(_("该记录已冲正或本身是冲正记录"), code="already_reversed")
        if model is JobAttendance:
            row = JobAttendance.objects.create(job=e.job, year=e.year, month=e.month, days=-e.days,
                                               recorded_on=clock.today(), reverses=e, created_by=actor_or_none(actor))
        else:
            row = JobPayment.objects.create(job=e.job, payee=e.payee, year=e.year, month=e.month, amount=-e.amount,
                                            paid_on=clock.today(), reverses=e, created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.job.reverse", target=e.job, area_code=e.job.village.code,
                    after={"entry": e.pk, "kind": model.__name__, "reason": str(reason)[:200]})
    return row
