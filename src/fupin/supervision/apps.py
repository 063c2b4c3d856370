from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "fupin.supervision"
    verbose_name = "督查整改"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.supervision.selectors import overdue_badge
        from fupin.web.context import register_menu

        register_menu(75, _("督查整改"), "supervision:findings", "progress.view", badge=overdue_badge)
        register_action_labels({
            "supervision.checklist_load": _("加载督查清单"),
            "supervision.campaign_create": _("登记督查活动"),
            "supervision.campaign_close": _("结束督查活动"),
            "supervision.finding_record": _("登记督查问题"),
            "supervision.finding_edit": _("修改督查问题"),
            "supervision.report": _("上报问题整改情况"),
            "supervision.evidence": _("补充整改佐证材料"),
            "supervision.close": _("核验销号"),
            "supervision.return": _("退回重新整改"),
            "supervision.escalate": _("逾期问题督办"),
            "supervision.quality_import": _("导入数据质量问题"),
            "supervision.lookback_visit": _("登记回头看走访"),
            "supervision.demo": _("生成督查整改演示数据"),
        })
