"""Forms of the policy pages: start a screening run, and a what-if simulation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.policy.selectors import pack_set

ENGINE_CHOICES = [("polars", _("批量计算（Polars）")), ("local", _("逐户计算")), ("spark", _("分布式计算（Spark）"))]


def _pack_choices(*, published_only: bool):
    packs = sorted(pack_set().packs.values(), key=lambda p: (p.id, p.version))
    return [(p.key, f"{p.key} {p.title}") for p in packs if p.status == "published" or not published_only]


class ScreeningForm(forms.Form):
    pack = forms.ChoiceField(label=_("政策包"))
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
    area = forms.RegexField(label=_("区划代码"), regex=r"^\d{6}(\d{3}(\d{3})?)?$",
                            error_messages={"invalid": _("区划代码应为6、9或12位数字")})
    engine = forms.ChoiceField(label=_("计算方式"), choices=ENGINE_CHOICES, initial="polars")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].choices = _pack_choices(published_only=True)


class WhatIfForm(forms.Form):
    pack = forms.ChoiceField(label=_("政策包"))
    year = forms.IntegerField(label=_("年度"), min_value=2013, max_value=2100)
    area = forms.RegexField(label=_("区划代码"), regex=r"^\d{6}(\d{3}(\d{3})?)?$",
                            error_messages={"invalid": _("区划代码应为6、9或12位数字")})
    changes = forms.CharField(label=_("修改的参数"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("每行一个“参数名=新值”，如 low_income_line=4500"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].choices = _pack_choices(published_only=False)
