from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.accounts.roles import Department, Role


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    organisation = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("两次输入的密码不一致"))
        return data


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    area = forms.CharField(label=_("区划代码"), max_length=12, help_text=_("县6位、乡镇9位、村12位"))
    department = forms.ChoiceField(label=_("行业部门"), choices=[("", "—"), *Department.choices], required=False)
