from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkteamsConfig(AppConfig):
    name = "fupin.workteams"
    verbose_name = "驻村工作队"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.web.context import register_menu

        register_menu(60, _("驻村工作队"), "workteams:teams", "workteam.view")
        register_action_labels({
            "workteam.unit_create": _("登记派出单位"),
            "workteam.team_create": _("登记驻村工作队"),
            "workteam.member_add": _("登记驻村队员"),
            "workteam.member_change": _("驻村队员调整"),
            "workteam.attendance": _("登记考勤"),
            "workteam.signoff": _("考勤签字"),
            "workteam.log": _("记录工作日志"),
            "workteam.demo": _("生成驻村工作队演示数据"),
        })
