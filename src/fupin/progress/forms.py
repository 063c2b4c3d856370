"""Page forms: they parse input only; the services check the rules and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.accounts.access import scope
from fupin.areas.models import Area, AreaLevel
from fupin.progress.indicators import INDICATORS
from fupin.progress.models import Direction, Plan

DATE = forms.DateInput(attrs={"type": "date"})
MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "2020-05"})


class TargetForm(forms.Form):
    plan = forms.TypedChoiceField(label=_("所属方案"), coerce=int, required=False, empty_value=None)
    area = forms.CharField(label=_("区域（区划代码）"), max_length=12)
    group = forms.CharField(label=_("类别/专项行动"), max_length=60, required=False)
    name = forms.CharField(label=_("指标名称"), max_length=200)
    indicator = forms.ChoiceField(label=_("关联实时指标"), required=False)
    direction = forms.ChoiceField(label=_("方向"), choices=Direction.choices)
    value = forms.DecimalField(label=_("目标值"), max_digits=16, decimal_places=2, min_value=0)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    period_start = forms.DateField(label=_("期间起"), widget=DATE)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)
    lead_leader = forms.CharField(label=_("牵头领导"), max_length=100, required=False)
    lead_unit = forms.CharField(label=_("牵头单位"), max_length=200)
    responsible_units = forms.CharField(label=_("责任单位"), max_length=300, required=False)
    responsible_person = forms.CharField(label=_("责任人"), max_length=100, required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        plans = scope(Plan.objects.all(), actor, "progress.manage").order_by("-start")
        self.fields["plan"].choices = [("", _("（不属于方案）"))] + [(p.pk, p.title) for p in plans]
        self.fields["indicator"].choices = [("", _("（填报完成值）"))] + [(c, i.label) for c, i in INDICATORS.items()]
        self._plans = {p.pk: p for p in plans}

    def clean_area(self):
        return self.cleaned_data["area"].strip().ljust(12, "0")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["plan"] = self._plans.get(data.pop("plan"))
        data["area_code"] = data.pop("area")
        return data


class ReportForm(forms.Form):
    value = forms.DecimalField(label=_("完成值"), max_digits=16, decimal_places=2, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MilestoneForm(forms.Form):
    due = forms.DateField(label=_("完成时限"), widget=DATE)
    title = forms.CharField(label=_("工作内容"), max_length=500)
    lead_unit = forms.CharField(label=_("牵头单位"), max_length=200, required=False)
    responsible_units = forms.CharField(label=_("责任单位"), max_length=300, required=False)


class FreezeForm(forms.Form):
    area = forms.ChoiceField(label=_("区域"))
    month = forms.CharField(label=_("月份（YYYY-MM）"), max_length=7, widget=MONTH)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Area.objects.current().filter(level__in=[AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP])
        self.fields["area"].choices = [(a.code, a.name) for a in scope(qs, actor, "progress.manage",
                                                                       code_path="code").order_by("code")[:500]]


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON 文件（FeatureCollection，20 MB 以内）"))
    code_property = forms.CharField(label=_("区划代码所在的属性名"), max_length=60, initial="code",
                                    help_text=_("每个要素 properties 中保存6位县、9位乡镇或12位村区划代码的字段"))


class BoundaryClearForm(forms.Form):
    area = forms.ChoiceField(label=_("清除该区域及以下的边界"))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Area.objects.current().filter(level__in=[AreaLevel.COUNTY, AreaLevel.TOWNSHIP])
        self.fields["area"].choices = [(a.code, a.name) for a in scope(qs, actor, "progress.manage",
                                                                       code_path="code").order_by("code")[:500]]
