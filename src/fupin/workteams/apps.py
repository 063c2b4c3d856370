from django.apps import AppConfig


class WorkteamsConfig(AppConfig):
    name = "fupin.workteams"
    verbose_name = "驻村工作队"
