from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fupin.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from fupin.audit import signals  # noqa: F401  (login/logout events)
