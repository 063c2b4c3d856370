"""Enqueue, claim, run and report on background tasks.

A task kind is a function registered with `@task_kind("name")`; it receives the actor, its params and
a `report(done, total, message)` callback, and returns a JSON-able result. A worker (`fupin worker`,
started by `fupin demo`) claims queued tasks one at a time; a task whose worker died (no heartbeat
for STALE_AFTER) goes back to the queue, up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.audit.services import audit_event
from fupin.core import context
from fupin.core.errors import ValidationFailed
from fupin.tasks.models import Task, TaskStatus

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 3
_KINDS: dict[str, tuple[Callable, str]] = {}


def task_kind(name: str, *, action: str = "tasks.run"):
    """Register a function as a task kind; `action` is what the starter must be allowed to do."""

    def register(fn: Callable) -> Callable:
        _KINDS[name] = (fn, action)
        return fn

    return register


def task_enqueue(*, actor, kind: str, params: dict | None = None, area_code: str = "") -> Task:
    if kind not in _KINDS:
        raise ValidationFailed(_("未知的任务类型：%(k)s") % {"k": kind}, code="unknown_task")
    if actor is not None:
        require(actor, _KINDS[kind][1], area_code or None)
    with transaction.atomic():
        task = Task.objects.create(kind=kind, params=params or {}, created_by=actor if actor else None,
                                   area_code=area_code)
        audit_event(actor=actor, action="task.enqueue", target=task, area_code=area_code,
                    details={"kind": kind, "params": params or {}})
    return task


def _requeue_stale() -> int:
    cutoff = timezone.now() - STALE_AFTER
    stale = Task.objects.filter(status=TaskStatus.RUNNING, heartbeat_at__lt=cutoff)
    failed = stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=TaskStatus.FAILED, error=_("工作进程中断，已达最大重试次数"), finished_at=timezone.now())
    return failed + stale.update(status=TaskStatus.QUEUED)


def task_claim() -> Task | None:
    """Take the oldest queued task. On PostgreSQL rows are locked with SKIP LOCKED so several
    workers never take the same task; on SQLite the write lock serialises claims."""
    _requeue_stale()
    with transaction.atomic():
        qs = Task.objects.filter(status=TaskStatus.QUEUED).order_by("created_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        task = qs.first()
        if task is None:
            return None
        now = timezone.now()
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=task.attempts + 1)
    task.refresh_from_db()
    return task


def task_run(task: Task) -> Task:
    fn, _action = _KINDS.get(task.kind, (None, None))
    actor = task.created_by

    def report(done: int, total: int, message: str = "") -> None:
        Task.objects.filter(pk=task.pk).update(
            progress_done=done, progress_total=total, message=message[:300], heartbeat_at=timezone.now())

    token = context.bind(context.RequestContext(channel="task"))
    try:
        if fn is None:
            raise ValidationFailed(_("未知的任务类型：%(k)s") % {"k": task.kind})
        result = fn(actor=actor, params=task.params, report=report)
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.DONE, result=result, finished_at=timezone.now(), heartbeat_at=timezone.now())
    except Exception as exc:  # a failed task is recorded, never lost; the worker carries on
        log.warning("task %s failed: %s", task.pk, exc)
        Task.objects.filter(pk=task.pk).update(
            status=TaskStatus.FAILED, error=f"{exc}\n\n{traceback.format_exc(limit=5)}"[:5000],
            finished_at=timezone.now())
    finally:
        context.unbind(token)
    task.refresh_from_db()
    return task


def worker_loop(*, once: bool = False, idle_sleep: float = 1.0, stop: Callable[[], bool] = lambda: False) -> int:
    """Run tasks until stopped (or, with once=True, until the queue is empty). Returns how many ran."""
    ran = 0
    while not stop():
        task = task_claim()
        if task is None:
            if once:
                return ran
            time.sleep(idle_sleep)
            continue
        task_run(task)
        ran += 1
    return ran
