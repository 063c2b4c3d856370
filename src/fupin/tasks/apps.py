from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "fupin.tasks"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from fupin.tasks import kinds  # noqa: F401  (registers the foundation's task kinds)
