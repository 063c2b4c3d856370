from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "fupin.assessment"
    verbose_name = "考核评估"
