"""Page forms: they parse input only; the services check the rules and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.monitoring.models import FoundBy, RiskLevel
from fupin.monitoring.rules import BOOL_FACTS, MONEY_FACTS

DATE = forms.DateInput(attrs={"type": "date"})
YES_NO = [("", _("未核查")), ("0", _("否")), ("1", _("是"))]


class FactsMixin:
    """The screening answers (排查信息): one yes/no or amount per input of the seven exclusions."""

    def add_fact_fields(self, initial: dict | None = None) -> None:
        initial = initial or {}
        for name, label in BOOL_FACTS.items():
            value = initial.get(name)
            self.fields[f"fact_{name}"] = forms.ChoiceField(
                label=label, choices=YES_NO, required=False,
                initial="" if value is None else ("1" if value else "0"))
        for name, label in MONEY_FACTS.items():
            self.fields[f"fact_{name}"] = forms.CharField(label=label, required=False, max_length=20,
                                                          initial=initial.get(name, ""))

    def facts(self) -> dict:
        return {name[5:]: value for name, value in self.cleaned_data.items()
                if name.startswith("fact_") and value not in ("", None)}


class ProposeForm(FactsMixin, forms.Form):
    household_number = forms.CharField(label=_("户编号"), max_length=30)
    found_by = forms.ChoiceField(label=_("发现途径"), choices=FoundBy.choices)
    case_type = forms.ChoiceField(label=_("监测对象类型"), required=False)
    risk_types = forms.MultipleChoiceField(label=_("风险类型"), required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("纳入理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    source = forms.CharField(label=_("来源编号（如预警编号）"), required=False, max_length=100)
    override_reason = forms.CharField(label=_("特殊程序理由（虽有排除情形，但因特殊原因生活仍处在贫困状态）"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, types=(), risks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [("", _("按户状态确定"))] + list(types)
        self.fields["risk_types"].choices = list(risks)
        self.add_fact_fields()


class FactsForm(FactsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(label=_("特殊程序理由（虽有排除情形，但因特殊原因生活仍处在贫困状态）"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, facts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_fact_fields(facts)


class MonthlyForm(forms.Form):
    month = forms.CharField(label=_("月份（YYYY-MM）"), max_length=7)
    income = forms.CharField(label=_("当月家庭收入（元）"), max_length=20)
    expenses = forms.CharField(label=_("当月家庭支出（元）"), max_length=20)
    rigid_expenses = forms.CharField(label=_("其中：刚性支出（元）"), max_length=20, required=False, initial="0")
    education_secured = forms.BooleanField(label=_("义务教育有保障"), required=False, initial=True)
    medical_secured = forms.BooleanField(label=_("基本医疗有保障"), required=False, initial=True)
    housing_secured = forms.BooleanField(label=_("住房安全有保障"), required=False, initial=True)
    water_secured = forms.BooleanField(label=_("饮水安全有保障"), required=False, initial=True)
    anomaly = forms.CharField(label=_("发现的异常情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RefreshForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=[(i, str(i)) for i in range(1, 5)])
    risk_level = forms.ChoiceField(label=_("评估的风险等级"), choices=RiskLevel.choices)
    member_changes = forms.CharField(label=_("家庭成员变化"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("采集情况"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AnalysisForm(forms.Form):
    township = forms.ChoiceField(label=_("乡镇"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=[(i, str(i)) for i in range(1, 5)])
    held_on = forms.DateField(label=_("研判日期"), widget=DATE)
    summary = forms.CharField(label=_("研判情况及帮扶工作部署"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [(a.code, a.name) for a in townships]
