from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "fupin.workflow"
    verbose_name = "审核流程"
