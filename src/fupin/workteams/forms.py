"""Page forms: they parse input only; the services check the rules and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.workteams.models import (
    ACHIEVEMENT_ITEMS,
    ChangeKind,
    ChangeReason,
    Education,
    LogKind,
    PoliticalStatus,
    Sex,
    TeamRole,
    UnitLevel,
)

DATE = forms.DateInput(attrs={"type": "date"})


class UnitForm(forms.Form):
    county = forms.ChoiceField(label=_("登记县（市、区）"))
    name = forms.CharField(label=_("单位名称"), max_length=100)
    level = forms.ChoiceField(label=_("单位层级"), choices=UnitLevel.choices)
    leading_body = forms.CharField(label=_("脱贫攻坚工作领导机构"), max_length=200, required=False)
    leading_body_since = forms.DateField(label=_("领导机构建立（调整）日期"), required=False, widget=DATE)
    leader_in_charge = forms.CharField(label=_("分管领导"), max_length=50, required=False)
    responsible_division = forms.CharField(label=_("责任处室"), max_length=100, required=False)
    party_secretary = forms.CharField(label=_("党委（党组）书记（第一责任人）"), max_length=50, required=False)

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(a.code, a.name) for a in counties]


class TeamForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("派出单位"), coerce=int)
    village = forms.ChoiceField(label=_("所驻村"))
    name = forms.CharField(label=_("工作队名称"), max_length=100)
    start_date = forms.DateField(label=_("驻村开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("驻村结束日期"), widget=DATE)

    def __init__(self, *args, units=(), villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, f"{u.name}（{u.get_level_display()}）") for u in units]
        self.fields["village"].choices = [(v.code, v.name) for v in villages]


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("队内职务"), choices=TeamRole.choices)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    age = forms.IntegerField(label=_("年龄"))
    education = forms.ChoiceField(label=_("学历"), choices=Education.choices)
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=PoliticalStatus.choices)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    party_relation_transferred = forms.BooleanField(label=_("组织关系已转到所驻乡或村党组织"), required=False)
    released_from_unit_duties = forms.BooleanField(label=_("驻村期间不承担原单位工作"), required=False, initial=True)


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("调整类型"), choices=ChangeKind.choices)
    member_out = forms.TypedChoiceField(label=_("离队队员"), coerce=int, required=False, empty_value=None)
    reason = forms.ChoiceField(label=_("调整原因"), choices=ChangeReason.choices)
    reason_detail = forms.CharField(label=_("原因说明"), max_length=300, required=False)
    effective_on = forms.DateField(label=_("调整日期"), widget=DATE)
    approval_ref = forms.CharField(label=_("批准文号或批准说明"), max_length=200,
                                   help_text=_("派出单位申请，经县驻村工作领导小组批准"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_out"].choices = [("", "—")] + [(m.pk, m.name) for m in members]


class NewMemberForm(MemberForm):
    """The arriving member of a join or a replacement; every field optional for a departure."""

    prefix = "new"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def member_data(self) -> dict | None:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if not data.get("name"):
            return None
        return data


class LogForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("类型"), choices=LogKind.choices)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


NOT_INVESTMENT = _("「投入资金情况不包括投资性资金」：不含投资性资金，也不含为贫困户协调的贷款。单位：万元")


class AnnualReportForm(forms.Form):
    """附件2 工作情况表: the amounts, the 14 items of 驻村工作实绩材料 and the work summary. Amounts are
    parsed as text so that the service can say what is wrong with a negative or malformed one."""

    unit_investment = forms.CharField(label=_("帮扶单位投入资金数（万元）"), help_text=NOT_INVESTMENT)
    coordinated_funds = forms.CharField(label=_("协调落实驻村项目资金（万元）"), help_text=NOT_INVESTMENT)
    goods_value = forms.CharField(label=_("物资折款（万元）"), help_text=_("捐赠物资按折款计入投入资金总数"))
    village_collective_income = forms.CharField(label=_("所驻村集体收入（万元）"))
    summary = forms.CharField(label=_("工作总结"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, title in ACHIEVEMENT_ITEMS.items():
            self.fields[f"item_{number}"] = forms.CharField(
                label=f"{number}、{title}", required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
        self.order_fields(["unit_investment", "coordinated_funds", "goods_value", "village_collective_income",
                           *(f"item_{n}" for n in ACHIEVEMENT_ITEMS), "summary"])

    @staticmethod
    def initial_from(report) -> dict:
        if report is None:
            return {"version": 0}
        data = {key: report.__dict__[key] for key in ("unit_investment", "coordinated_funds", "goods_value",
                                                       "village_collective_income", "summary", "version")}
        data.update({f"item_{k}": v for k, v in report.achievements.items()})
        return data

    def report_data(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("unit_investment", "coordinated_funds", "goods_value",
                                                         "village_collective_income", "summary")}
        data["achievements"] = {n: self.cleaned_data.get(f"item_{n}") or "" for n in ACHIEVEMENT_ITEMS}
        return data


class SurveyForm(forms.Form):
    surveyed_on = forms.DateField(label=_("测评日期"), widget=DATE)
    village_respondents = forms.IntegerField(label=_("所驻村参与测评人数"))
    village_satisfied = forms.IntegerField(label=_("其中满意人数"))
    household_respondents = forms.IntegerField(label=_("参与测评贫困户数"))
    household_satisfied = forms.IntegerField(label=_("其中满意户数"),
                                             help_text=_("满意度＝满意数÷参与测评数×100%，由系统计算"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
