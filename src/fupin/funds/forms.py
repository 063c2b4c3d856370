"""Page forms of the funds context. They only parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core import clock
from fupin.funds import catalogue
from fupin.funds.models import (
    Acquisition,
    AssetType,
    Condition,
    ContractKind,
    InvestmentDirection,
    ProjectCategory,
    ProjectMode,
)

FUND_ROWS = 4


def _sources():
    return [("", "—")] + [(s.code, s.label) for s in catalogue.fund_sources().values()]


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label, **kw):
    return forms.DateField(label=label, widget=DateInput, initial=clock.today, **kw)


class FundRowsMixin:
    """Up to four (资金类型, 金额) pairs → [(source, amount)]."""

    def add_fund_fields(self):
        for n in range(1, FUND_ROWS + 1):
            self.fields[f"source_{n}"] = forms.ChoiceField(label=_("资金类型%(n)s") % {"n": n}, choices=_sources(),
                                                           required=n == 1)
            self.fields[f"amount_{n}"] = forms.DecimalField(label=_("金额（元）"), required=n == 1, decimal_places=2,
                                                            max_digits=14)

    def fund_rows(self) -> list[tuple[str, object]]:
        rows = []
        for n in range(1, FUND_ROWS + 1):
            source, amount = self.cleaned_data.get(f"source_{n}"), self.cleaned_data.get(f"amount_{n}")
            if source or amount is not None:
                rows.append((source or "", amount if amount is not None else ""))
        return rows


class ProjectForm(FundRowsMixin, forms.Form):
    area_code = forms.CharField(label=_("实施地点（村/乡镇区划代码）"), max_length=12)
    catalogue_code = forms.ChoiceField(label=_("项目名称目录"), required=False, choices=lambda: [("", "—")] + [
        (p.code, f"{p.code} {p.label}") for p in catalogue.project_names().values()])
    name = forms.CharField(label=_("项目名称"), max_length=100, required=False,
                           help_text=_("选了目录中的项目名称可不填"))
    category = forms.ChoiceField(label=_("实施项目种类"), choices=ProjectCategory.choices)
    mode = forms.ChoiceField(label=_("实施方式"), choices=ProjectMode.choices)
    year = forms.IntegerField(label=_("实施年度"), initial=lambda: clock.today().year)
    village_meeting_on = _date(_("村两委会/村民代表大会日期"))
    scale = forms.DecimalField(label=_("项目规模"), required=False, decimal_places=2, max_digits=12)
    scale_unit = forms.CharField(label=_("规模单位（只、头、棵、亩、栋等）"), required=False, max_length=10)
    content = forms.CharField(label=_("建设内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    expected_benefit = forms.CharField(label=_("预期效益"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    linkage = forms.CharField(label=_("带贫机制"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    households_driven = forms.IntegerField(label=_("带动建档立卡户数"), min_value=0, initial=0)
    persons_driven = forms.IntegerField(label=_("带动建档立卡人数"), min_value=0, initial=0)
    income_gain_per_capita = forms.DecimalField(label=_("人均增收（元）"), min_value=0, initial=0, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_fund_fields()


class StepForm(forms.Form):
    on = _date(_("日期"))
    reason = forms.CharField(label=_("原因"), required=False, max_length=300)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=99)
    on = _date(_("报告日期"))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class PostingForm(forms.Form):
    source = forms.ChoiceField(label=_("资金类型"), choices=_sources)
    amount = forms.DecimalField(label=_("金额（元）"), decimal_places=2, max_digits=14)
    on = _date(_("日期"))
    reference = forms.CharField(label=_("文号/凭证号"), required=False, max_length=100)


class ReverseForm(forms.Form):
    on = _date(_("冲正日期"))
    reason = forms.CharField(label=_("冲正原因"), max_length=300)


class AssetForm(FundRowsMixin, forms.Form):
    area_code = forms.CharField(label=_("产权归属（镇/村区划代码）"), max_length=12)
    name = forms.CharField(label=_("资产名称"), max_length=100)
    asset_type = forms.ChoiceField(label=_("资产类型"), choices=AssetType.choices)
    subtype = forms.ChoiceField(label=_("子类型"), choices=lambda: [
        (s.code, f"{dict(AssetType.choices)[s.asset_type]}·{s.label}") for s in catalogue.asset_subtypes().values()])
    acquisition = forms.ChoiceField(label=_("购买、自建、维修"), choices=Acquisition.choices)
    acquired_on = _date(_("购建时间"))
    funded_year = forms.IntegerField(label=_("资金投入年度"), initial=lambda: clock.today().year)
    useful_life_years = forms.IntegerField(label=_("预计使用年限"), min_value=1, max_value=100)
    condition = forms.ChoiceField(label=_("现使用状况"), choices=Condition.choices)
    scale = forms.DecimalField(label=_("规模"), required=False, decimal_places=2, max_digits=12)
    scale_unit = forms.CharField(label=_("规模单位"), required=False, max_length=10)
    custodian = forms.CharField(label=_("管护主体"), max_length=100)
    custodian_person = forms.CharField(label=_("管护责任人"), required=False, max_length=50)
    note = forms.CharField(label=_("备注"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_fund_fields()


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=_("经营方式"), choices=ContractKind.choices)
    counterparty = forms.CharField(label=_("承租/经营单位（人员）名称"), max_length=100)
    term_years = forms.IntegerField(label=_("合约年限"), min_value=1, max_value=50)
    starts_on = _date(_("合约起始日期"))
    first_due_on = forms.DateField(label=_("首次收取日期"), widget=DateInput, required=False,
                                   help_text=_("不填则为起始日期；此后每年同日"))
    annual_amount = forms.DecimalField(label=_("年租金/承包费（元）"), min_value=0, decimal_places=2, max_digits=14)
    decided_on = _date(_("民主决策日期"))


class ReceiptForm(forms.Form):
    period_year = forms.IntegerField(label=_("所属年度"), initial=lambda: clock.today().year)
    amount = forms.DecimalField(label=_("到账金额（元）"), decimal_places=2, max_digits=14)
    received_on = _date(_("到账日期"))
    reference = forms.CharField(label=_("凭证号"), required=False, max_length=100)


class EquityForm(FundRowsMixin, forms.Form):
    area_code = forms.CharField(label=_("资金所有权（镇/村区划代码）"), max_length=12)
    year = forms.IntegerField(label=_("资金入股年度"), initial=lambda: clock.today().year)
    investee = forms.CharField(label=_("入股企业或合作社名称"), max_length=100)
    direction = forms.ChoiceField(label=_("投资方向"), choices=InvestmentDirection.choices)
    business = forms.CharField(label=_("经营项目"), max_length=100)
    term_years = forms.IntegerField(label=_("入股合作期限（年）"), min_value=1, max_value=50)
    starts_on = _date(_("合同起始日期"))
    annual_dividend = forms.DecimalField(label=_("年分红金额（元）"), min_value=0, decimal_places=2, max_digits=14)
    first_due_on = forms.DateField(label=_("首次分红日期"), widget=DateInput, required=False,
                                   help_text=_("不填则为起始日期满一年"))
    decided_on = _date(_("民主决策日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_fund_fields()


class PlanForm(forms.Form):
    area_code = forms.CharField(label=_("产权人（镇/村区划代码）"), max_length=12)
    year = forms.IntegerField(label=_("收益年度"), initial=lambda: clock.today().year)
    title = forms.CharField(label=_("方案名称"), max_length=100)
    income_total = forms.DecimalField(label=_("可分配收益（元）"), decimal_places=2, max_digits=14)
    households = forms.CharField(
        label=_("到户分配（每行：户编号 金额）"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=_("户编号为建档立卡户编号；金额单位元"))
    collective = forms.DecimalField(label=_("村集体经济（元）"), required=False, decimal_places=2, max_digits=14)
    public_welfare = forms.DecimalField(label=_("公益事业/公益岗位（元）"), required=False, decimal_places=2,
                                        max_digits=14)
    reserve = forms.DecimalField(label=_("预留（元）"), required=False, decimal_places=2, max_digits=14)
