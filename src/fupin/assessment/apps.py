from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "fupin.assessment"
    verbose_name = "考核评估"

    def ready(self) -> None:
        from fupin.web.context import register_menu

        register_menu(70, _("考核方案"), "assessment:schemes", "assessment.view")
