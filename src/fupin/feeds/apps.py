from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _open_alerts(user) -> int:
    from fupin.feeds.selectors import open_alert_count

    return open_alert_count(actor=user)


class FeedsConfig(AppConfig):
    name = "fupin.feeds"
    verbose_name = "行业部门数据"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.feeds import tasks  # noqa: F401  (registers the feeds.load task kind)
        from fupin.feeds.kinds import check_departments
        from fupin.web.context import register_menu

        check_departments()
        register_menu(45, _("部门数据预警"), "feeds:alerts", "alert.handle", badge=_open_alerts)
        register_menu(46, _("部门数据上传"), "feeds:uploads", "feeds.view")
        register_action_labels({
            "feeds.upload": _("上传部门数据"),
            "feeds.process": _("比对部门数据并产生预警"),
            "feeds.alert_handle": _("处理部门数据预警"),
            "feeds.demo": _("生成部门数据演示数据"),
        })
