from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fupin.demo"
    verbose_name = "演示数据"
