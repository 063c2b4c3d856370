from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "fupin.monitoring"
    verbose_name = "防返贫监测"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.monitoring.reviews import register_monitoring_processes
        from fupin.monitoring.selectors import overdue_badge
        from fupin.web.context import register_menu

        register_menu(38, _("防返贫监测"), "monitoring:cases", "monitoring.view", badge=overdue_badge)
        register_monitoring_processes()
        from fupin.monitoring.presenters import card_rows
        from fupin.registry.card import register_card_section, register_household_link

        register_card_section(30, _("防返贫监测"), card_rows)
        register_household_link(30, _("纳入防返贫监测"), "monitoring.propose",
                                lambda household: f"{reverse('monitoring:propose')}?household={household.pk}")
        register_action_labels({
            "monitoring.propose": _("提出防返贫监测对象"),
            "monitoring.facts": _("登记监测排查信息"),
            "monitoring.identified": _("纳入防返贫监测并录入"),
            "monitoring.not_included": _("未纳入防返贫监测"),
            "monitoring.household_sync": _("同步建档立卡户监测信息"),
            "monitoring.eliminate_propose": _("提出风险消除"),
            "monitoring.eliminated": _("标注风险消除"),
            "monitoring.reflag": _("风险消除回退（再标注）"),
            "monitoring.monthly_record": _("登记月度监测记录"),
            "monitoring.township_analysis": _("登记乡镇季度研判"),
            "monitoring.refresh": _("登记季度信息采集"),
            "monitoring.demo": _("生成防返贫监测演示数据"),
        })
