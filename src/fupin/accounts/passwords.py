from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """密码策略: at least three of lower case, upper case, digits and symbols."""

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(_("密码须包含小写字母、大写字母、数字、符号中的至少三类"), code="password_classes")

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少三类。")
