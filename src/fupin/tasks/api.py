from ninja import Router

from fupin.api.schemas import Error, TaskOut
from fupin.tasks.models import Task
from fupin.tasks.selectors import task_get

router = Router(tags=["tasks 后台任务"])


def task_out(task: Task) -> TaskOut:
    return TaskOut(id=task.pk, kind=task.kind, status=task.status, percent=task.percent, message=task.message,
                   result=task.result, error=task.error if task.status == "failed" else "")


@router.get("/{task_id}", response={200: TaskOut, 404: Error})
def get_task(request, task_id: int):
    return task_out(task_get(actor=request.auth, task_id=task_id))
