"""Page forms: they parse input only; the services check the rules and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.accounts.roles import Department
from fupin.supervision.models import CampaignKind, ResponsibleKind, Severity, VisitResult

# ISO values: a type=date input understands only YYYY-MM-DD, whatever the locale.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks type, size and count of each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class FindingForm(forms.Form):
    area = forms.ChoiceField(label=_("问题所在乡镇或村"))
    campaign = forms.TypedChoiceField(label=_("督查活动"), coerce=int, required=False, empty_value=None)
    checklist_item = forms.TypedChoiceField(label=_("督查要点"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.GENERAL)
    responsible_kind = forms.ChoiceField(label=_("责任单位"), choices=ResponsibleKind.choices,
                                         help_text=_("村的问题可由村或所在乡镇整改；行业部门为县直部门"))
    responsible_department = forms.ChoiceField(label=_("责任部门（行业部门时选择）"), required=False,
                                               choices=[("", "—"), *Department.choices])
    found_on = forms.DateField(label=_("发现日期"), widget=DATE)
    deadline = forms.DateField(label=_("整改时限"), widget=DATE)

    def __init__(self, *args, areas=(), campaigns=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, f"{a.name}（{a.code}）") for a in areas]
        self.fields["campaign"].choices = [("", "—"), *[(c.pk, c.name) for c in campaigns]]
        self.fields["checklist_item"].choices = [("", "—"), *[(i.pk, f"{i.no} {i.area_title}：{i.text[:40]}")
                                                               for i in items]]


class EditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)
    deadline = forms.DateField(label=_("整改时限"), widget=DATE)


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    measures = forms.CharField(label=_("整改措施及成效"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    files = MultipleFileField(label=_("佐证材料（照片、文件，可多选）"), required=False)


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=_("补充佐证材料"))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class VerifyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("核验结论"), choices=[("close", _("整改到位，予以销号")),
                                                              ("return", _("整改不到位，退回重新整改"))])
    comment = forms.CharField(label=_("核验意见（退回时必填）"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False, max_length=2000)


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CampaignKind.choices)
    name = forms.CharField(label=_("名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
    checklist = forms.TypedChoiceField(label=_("督查清单"), coerce=int, required=False, empty_value=None)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE)
    covered = forms.MultipleChoiceField(label=_("督查范围（乡镇，可多选）"),
                                        widget=forms.SelectMultiple(attrs={"size": 8}))
    inspectors = forms.CharField(label=_("督查人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 max_length=2000)
    sample_percent = forms.IntegerField(label=_("回头看抽查比例（%）"), required=False, min_value=1, max_value=100,
                                        help_text=_("回头看时填写：按村抽取已脱贫户的比例"))

    def __init__(self, *args, checklists=(), townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = [("", "—"), *[(c.pk, str(c)) for c in checklists]]
        self.fields["covered"].choices = [(a.code, a.name) for a in townships]


class VisitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("走访结果"), choices=[(VisitResult.STABLE, VisitResult.STABLE.label),
                                                            (VisitResult.AT_RISK, VisitResult.AT_RISK.label)])
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    note = forms.CharField(label=_("走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)
    risk_types = forms.MultipleChoiceField(label=_("风险类型"), required=False, widget=forms.CheckboxSelectMultiple)
    propose_monitoring = forms.BooleanField(label=_("提出纳入防返贫监测"), required=False)

    def __init__(self, *args, risk_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_types"].choices = list(risk_types)


class QualityImportForm(forms.Form):
    area = forms.ChoiceField(label=_("区划"))
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]
