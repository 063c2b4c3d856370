from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "fupin.assistance"
    verbose_name = "帮扶措施与帮扶责任人"

    def ready(self) -> None:
        from fupin.assistance.card import cadre_rows, measure_rows
        from fupin.audit.labels import register_action_labels
        from fupin.registry.card import register_card_section, register_household_link
        from fupin.web.context import register_menu

        register_menu(40, _("帮扶"), "assistance:index", "assistance.view")
        register_menu(41, _("我的帮扶户"), "assistance:mine", "visit.record")
        register_card_section(40, _("帮扶措施"), measure_rows)
        register_card_section(45, _("结对帮扶"), cadre_rows)
        register_household_link(40, _("帮扶计划"), "assistance.view",
                                lambda household: reverse("assistance:household", args=[household.pk]))
        register_action_labels({
            "assistance.plan_create": _("制定帮扶计划"),
            "assistance.measure_add": _("添加帮扶措施"),
            "assistance.measure_update": _("修改帮扶措施"),
            "assistance.cadre_profile": _("登记帮扶责任人"),
            "assistance.cadre_assign": _("安排帮扶责任人"),
            "assistance.cadre_unassign": _("解除结对帮扶"),
            "assistance.pairing_backfill": _("补录结对记录"),
            "assistance.visit_record": _("登记帮扶记录"),
            "assistance.demo": _("生成帮扶演示数据"),
        })
