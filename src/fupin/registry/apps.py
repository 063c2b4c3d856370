from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "fupin.registry"
    verbose_name = "建档立卡"

    def ready(self) -> None:
        from fupin.audit.labels import register_action_labels
        from fupin.registry.card import register_card_section
        from fupin.registry.card_sections import funds_income_rows
        from fupin.registry.lifecycle import TRANSITIONS
        from fupin.registry.reviews import register_lifecycle_processes
        from fupin.web.context import register_menu

        register_menu(20, _("建档立卡"), "registry:households", "registry.view")
        register_lifecycle_processes()
        register_action_labels({
            "household.create": _("建档（新增农户）"), "household.update": _("修改户信息"),
            "household.assign_cadre": _("落实帮扶责任人（批量）"),
            **{f"household.{name}": _(t.label) for name, t in TRANSITIONS.items()},
            "registry_year.freeze": _("封存年度"), "registry_year.unfreeze": _("解除年度封存"),
            "registry.generate": _("生成模拟建档立卡数据"), "registry.import": _("批量导入建档立卡数据"),
            "registry.export": _("导出建档立卡名单"), "registry.quality_export": _("导出数据质量问题清单"),
            "registry.card_pdf": _("打印扶贫明白卡"), "dictionaries.load": _("加载数据字典"),
        })
        register_card_section(60, _("资产收益分配"), funds_income_rows)
