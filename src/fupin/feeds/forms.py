from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.feeds.models import AlertStatus


class SelectWithDisabled(forms.Select):
    """A select whose options in `disabled_choices` are shown but cannot be chosen."""

    disabled_choices: frozenset = frozenset()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.disabled_choices:
            option["attrs"]["disabled"] = True
        return option


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类型"))
    file = forms.FileField(label=_("文件（.xlsx 或 .csv，UTF-8 或 GBK 编码）"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False,
                              help_text=_("留空：本县最新的建档立卡年度"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, f"{k.title}（{k.department_label}）") for k in kinds]


class HandleForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[
        (AlertStatus.VERIFIED, AlertStatus.VERIFIED.label), (AlertStatus.NOT_APPLICABLE, AlertStatus.NOT_APPLICABLE.label),
        (AlertStatus.MONITORING, AlertStatus.MONITORING.label)], widget=SelectWithDisabled)
    note = forms.CharField(label=_("处理说明（核实情况）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, monitoring_available: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not monitoring_available:
            # Shown but not selectable until the monitoring app offers case_propose.
            self.fields["outcome"].widget.disabled_choices = frozenset({AlertStatus.MONITORING.value})
            self.fields["outcome"].help_text = _("“转入监测”需启用监测功能后才能选择")
