"""Page forms: they parse input only; the services check the rules and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.assistance.catalogue import catalogue
from fupin.assistance.models import CadreUnitKind, MeasureStatus, VisitorRole

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def measure_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The catalogue grouped by category, each measure labelled with its kind."""
    cat = catalogue()
    groups: dict[str, list[tuple[str, str]]] = {}
    for m in cat.measures.values():
        kind = _("开发式") if m.kind == "work" else _("保障性")
        groups.setdefault(cat.category_label(m.category), []).append((m.code, f"{m.name}（{kind}）"))
    return list(groups.items())


class PlanForm(forms.Form):
    needs = forms.CharField(label=_("脱贫需求"), max_length=300, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class MeasureForm(forms.Form):
    measure_code = forms.ChoiceField(label=_("帮扶措施"))
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=MeasureStatus.choices)
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    plan_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_code"].choices = [("", "—")] + measure_choices()


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=MeasureStatus.choices)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CadreProfileForm(forms.Form):
    user = forms.TypedChoiceField(label=_("系统账号（帮扶责任人角色）"), coerce=int)
    area = forms.ChoiceField(label=_("帮扶地区"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit_kind = forms.ChoiceField(label=_("单位类别"), choices=CadreUnitKind.choices)
    unit_name = forms.CharField(label=_("工作单位"), max_length=100)
    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20)

    def __init__(self, *args, users=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(u.pk, f"{u.username} {u.get_full_name()}".strip()) for u in users]
        self.fields["area"].choices = [(a.code, f"{a.name}（{a.code}）") for a in areas]


class AssignForm(forms.Form):
    cadre = forms.TypedChoiceField(label=_("帮扶责任人"), coerce=int)
    started_on = forms.DateField(label=_("结对日期"), widget=DATE)
    reason = forms.CharField(label=_("调整原因（更换时填写）"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [(p.user_id, f"{p.name}（{p.unit_name}）") for p in cadres]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    visitor_role = forms.ChoiceField(label=_("走访人身份"), choices=VisitorRole.choices, initial=VisitorRole.PAIRING_CADRE)
    content = forms.CharField(label=_("帮扶内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label=_("发现问题"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    measures_taken = forms.CharField(label=_("采取措施"), max_length=2000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))


class QuickVisitForm(VisitForm):
    """The cadre's own page: which of my households, then the visit."""

    household = forms.TypedChoiceField(label=_("帮扶户"), coerce=int)

    field_order = ["household", "visited_on", "content", "problems", "measures_taken"]

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [(h.pk, f"{h.household_number} {getattr(h, 'head_name', '') or ''}".strip())
                                            for h in households]
        self.fields["visitor_role"].widget = forms.HiddenInput()
