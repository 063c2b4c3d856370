from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "fupin.progress"
    verbose_name = "挂图作战与进度调度"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.web.context import register_menu

        register_menu(80, _("挂图作战"), "progress:index", "progress.view")
        register_menu(81, _("月调度"), "progress:dispatch", "progress.view")
        register_menu(82, _("目标任务与方案"), "progress:plans", "progress.view")
        register_action_labels({
            "progress.plan_load": _("导入计划方案"),
            "progress.plan_create": _("登记计划方案"),
            "progress.target_create": _("登记目标任务"),
            "progress.target_report": _("填报目标完成值"),
            "progress.milestone_create": _("添加月度节点"),
            "progress.milestone_done": _("月度节点完成"),
            "progress.refresh": _("刷新挂图作战指标"),
            "progress.snapshot_freeze": _("封存月调度"),
            "progress.demo": _("生成挂图作战演示数据"),
        })
