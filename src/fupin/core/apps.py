from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fupin.core"
    verbose_name = "基础"
