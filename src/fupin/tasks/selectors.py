from fupin.accounts.access import access_object, scope
from fupin.tasks.models import Task


def tasks_visible(*, actor):
    """Tasks the actor started, or that belong to their areas."""
    own = Task.objects.filter(created_by=actor) if getattr(actor, "is_authenticated", False) else Task.objects.none()
    scoped = scope(Task.objects.exclude(area_code=""), actor, "tasks.view", code_path="area_code")
    return (own | scoped).distinct().order_by("-created_at")


def task_get(*, actor, task_id: int) -> Task:
    if getattr(actor, "is_authenticated", False) and Task.objects.filter(pk=task_id, created_by=actor).exists():
        return Task.objects.get(pk=task_id)
    return access_object(actor, Task.objects.exclude(area_code=""), task_id, "tasks.view", code_path="area_code")
