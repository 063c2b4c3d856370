"""Page forms of the PV, job, microcredit and workshop pages. They only parse input; the services check
the rules and refuse with the rule's message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import ValidationFailed
from fupin.funds.forms import DateInput, _date
from fupin.funds.models import (
    JobFunding,
    JobType,
    LandType,
    PVLineKind,
    StationFunding,
    SubsidyKind,
    WorkshopKind,
)
from fupin.registry.models import Household, Person


def _money(label, **kw):
    return forms.DecimalField(label=label, decimal_places=2, max_digits=14, **kw)


def _number(label, places=2, **kw):
    return forms.DecimalField(label=label, decimal_places=places, max_digits=14, **kw)


class StationForm(forms.Form):
    village_code = forms.CharField(label=_("产权村（区划代码）"), max_length=12)
    name = forms.CharField(label=_("电站名称"), max_length=100)
    capacity_kw = _number(_("装机容量（千瓦）"))
    investment = _money(_("总投资（元）"))
    grid_on = _date(_("并网日期"))
    funding = forms.ChoiceField(label=_("资金性质"), choices=StationFunding.choices)
    land_type = forms.ChoiceField(label=_("场地类型"), choices=LandType.choices)
    land_area_mu = _number(_("占地面积（亩）"))
    land_rent_per_mu = _money(_("场地租金（元/亩/年）"))
    builder = forms.CharField(label=_("承建企业"), max_length=100, required=False)


class SettlementForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    kwh = _number(_("发电量（千瓦时）"))
    unit_price = _number(_("结算单价（元/千瓦时）"), places=4)
    taxes = _money(_("税费"), initial=0)
    om_cost = _money(_("运维费用"), initial=0)
    land_rent = _money(_("场地租金"), initial=0)
    settled_on = _date(_("结算日期"))
    reference = forms.CharField(label=_("结算单号"), max_length=60, required=False)


class ReverseForm(forms.Form):
    entry = forms.IntegerField(label=_("记录编号"), min_value=1)
    reason = forms.CharField(label=_("冲正原因"), max_length=200)


def household_by_number(number: str, year: int | None = None) -> Household:
    qs = Household.objects.filter(household_number=str(number).strip())
    if year:
        qs = qs.filter(year__lte=year)
    h = qs.order_by("-year").select_related("village").first()
    if h is None:
        raise ValidationFailed(gettext("找不到户编号 %(n)s") % {"n": number}, code="unknown_household")
    return h


def person_by_id_number(id_number: str) -> Person:
    p = Person.objects.filter(id_number=str(id_number).strip().upper()).order_by("-year").first()
    if p is None:
        raise ValidationFailed(gettext("找不到证件号码为 %(n)s 的人员") % {"n": id_number}, code="unknown_person")
    return p


class RecipientForm(forms.Form):
    household_number = forms.CharField(label=_("户编号"), max_length=30)
    year = forms.IntegerField(label=_("资助年度"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("申请理由"), max_length=300)
    lonely_elderly = forms.CharField(label=_("孤寡老人（证件号码，多个用空格分隔）"), required=False, max_length=500)
    orphan = forms.CharField(label=_("孤儿（证件号码）"), required=False, max_length=500)
    recognised_major_disease = forms.CharField(label=_("重特大疾病患者（证件号码）"), required=False, max_length=500)
    major_disaster_loss = forms.BooleanField(label=_("遭受重大灾害损失巨大"), required=False)
    assembly_recognised = forms.BooleanField(label=_("经村民代表大会认可确需扶持"), required=False)

    def members(self) -> dict:
        return {k: [person_by_id_number(x).pk for x in self.cleaned_data[k].split()]
                for k in ("lonely_elderly", "orphan", "recognised_major_disease")}


class PVPlanForm(forms.Form):
    village_code = forms.CharField(label=_("项目村（区划代码）"), max_length=12)
    year = forms.IntegerField(label=_("收益年度"), min_value=2000, max_value=2100)
    jobs = _money(_("公益岗位工资"), required=False)
    public_works = _money(_("小型公益事业"), required=False)
    reward = _money(_("奖励"), required=False)
    reserve = _money(_("预留"), required=False)
    subsidies = forms.CharField(label=_("深度贫困户生活补助（每行“户编号 金额”）"), widget=forms.Textarea(attrs={"rows": 4}),
                                required=False)

    def lines(self) -> list[dict]:
        d = self.cleaned_data
        out = [{"kind": k, "amount": d[k]} for k in ("jobs", "public_works", "reward", "reserve") if d.get(k)]
        for n, raw in enumerate((d.get("subsidies") or "").splitlines(), start=1):
            parts = raw.replace(",", " ").replace("，", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise ValidationFailed(gettext("第%(n)s行应为“户编号 金额”：%(r)s") % {"n": n, "r": raw.strip()}, code="bad_line")
            out.append({"kind": PVLineKind.SUBSIDY, "household": household_by_number(parts[0], d["year"]).pk,
                        "amount": parts[1]})
        return out


class JobForm(forms.Form):
    village_code = forms.CharField(label=_("所在村（区划代码）"), max_length=12)
    job_type = forms.ChoiceField(label=_("岗位类型"), choices=JobType.choices)
    funding = forms.ChoiceField(label=_("资金来源"), choices=JobFunding.choices)
    holder_id_number = forms.CharField(label=_("上岗人员证件号码"), max_length=22)
    monthly_pay = _money(_("月工资（元）"))
    starts_on = _date(_("聘用开始"))
    contract_no = forms.CharField(label=_("劳务聘用协议编号"), max_length=60, required=False)
    age_exception = forms.CharField(label=_("超龄特殊情况说明"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    days = forms.IntegerField(label=_("出勤天数"), min_value=0, max_value=31)


class PaymentForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    amount = _money(_("金额（元）"))
    paid_on = _date(_("发放日期"))


class LoanForm(forms.Form):
    borrower_id_number = forms.CharField(label=_("借款人证件号码"), max_length=22)
    lender = forms.ModelChoiceField(label=_("贷款机构"), queryset=None)
    amount = _money(_("申请金额（元）"))
    term_years = _number(_("授信期限（年）"))
    purpose = forms.CharField(label=_("贷款用途（生产经营项目）"), max_length=200)
    for_production = forms.BooleanField(label=_("用于生产经营"), required=False, initial=True)
    other_outstanding = forms.BooleanField(label=_("借款人有其他存量贷款"), required=False)

    def __init__(self, *args, lenders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lender"].queryset = lenders


class LoanApproveForm(forms.Form):
    on = _date(_("审批日期"))
    amount = _money(_("审定金额（元）"))
    annual_rate = _number(_("年利率（如 0.0435）"), places=5)
    credit_score = forms.IntegerField(label=_("信用评分"), required=False, min_value=0, max_value=1000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RepaymentForm(forms.Form):
    paid_on = _date(_("还款日期"))
    principal = _money(_("归还本金（元）"))
    interest = _money(_("支付利息（元）"), initial=0)


class WorkshopForm(forms.Form):
    village_code = forms.CharField(label=_("所在村（区划代码）"), max_length=12)
    name = forms.CharField(label=_("车间名称"), max_length=100)
    kind = forms.ChoiceField(label=_("建设方式"), choices=WorkshopKind.choices)
    operator = forms.CharField(label=_("经营主体"), max_length=100, required=False)
    business = forms.CharField(label=_("主要业务"), max_length=100, required=False)
    usable_area = _number(_("使用面积（平方米）"))
    building_area = _number(_("建筑面积（平方米）"))
    investment = _money(_("主体投入资金（元）"))
    employees_total = forms.IntegerField(label=_("就业人数"), min_value=0)
    employees_poor = forms.IntegerField(label=_("其中建档立卡贫困人口"), min_value=0)


class SubsidyForm(forms.Form):
    kind = forms.ChoiceField(label=_("补贴类别"), choices=SubsidyKind.choices)
    amount = _money(_("金额（元，稳定就业奖补可不填）"), required=False)
    persons = forms.IntegerField(label=_("人数"), required=False, min_value=0)
    months = forms.IntegerField(label=_("月数"), required=False, min_value=0)
    paid_on = _date(_("拨付日期"))


__all__ = ["DateInput"]
