from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "fupin.policy"
    verbose_name = "政策规则"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.policy.services import register_task_kind
        from fupin.web.context import register_menu

        register_menu(35, _("政策规则"), "policy:home", "policy.view")
        register_action_labels({
            "policy.screen": _("政策筛查（批量判定并保存结果）"),
            "policy.whatif": _("政策模拟测算"),
        })
        register_task_kind()
