from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "fupin.registry"
    verbose_name = "建档立卡"

    def ready(self) -> None:
        from fupin.registry.reviews import register_lifecycle_processes
        from fupin.web.context import register_menu

        register_menu(20, _("建档立卡"), "registry:households", "registry.view")
        register_lifecycle_processes()
