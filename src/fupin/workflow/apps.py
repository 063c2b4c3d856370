from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "fupin.workflow"
    verbose_name = "审核流程"

    def ready(self) -> None:
        from fupin.web.context import register_menu
        from fupin.workflow.selectors import MENU_ACTION, inbox_total

        register_menu(20, _("待办审核"), "workflow:inbox", MENU_ACTION, badge=lambda user: inbox_total(actor=user))
