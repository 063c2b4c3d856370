from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fupin.web"
    verbose_name = "页面"
