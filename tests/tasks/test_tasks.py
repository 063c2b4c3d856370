"""Background tasks live in the database: a worker picks them up, reports progress, survives restarts."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.core.errors import PermissionDenied, ValidationFailed
from fupin.tasks.models import Task, TaskStatus
from fupin.tasks.services import task_claim, task_enqueue, task_kind, task_run, worker_loop

pytestmark = pytest.mark.django_db


@task_kind("test.count", action="tasks.run")
def count_to(*, actor, params, report):
    for i in range(params["n"]):
        report(i + 1, params["n"], f"第{i + 1}步")
    if params.get("fail"):
        raise ValueError("模拟失败")
    return {"counted": params["n"]}


def test_a_worker_runs_queued_tasks_and_records_progress(make_user):
    officer = make_user(Role.COUNTY_OFFICER, "210922")
    task = task_enqueue(actor=officer, kind="test.count", params={"n": 3}, area_code="210922000000")
    assert task.status == TaskStatus.QUEUED
    assert worker_loop(once=True) == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.result == {"counted": 3}
    assert task.progress_done == 3 and task.percent == 100


def test_a_failing_task_is_recorded_not_lost(make_user):
    task = task_enqueue(actor=make_user(Role.COUNTY_OFFICER, "210922"), kind="test.count",
                        params={"n": 1, "fail": True})
    worker_loop(once=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.FAILED and "模拟失败" in task.error


def test_a_task_whose_worker_died_goes_back_to_the_queue(make_user):
    task = task_enqueue(actor=make_user(Role.COUNTY_OFFICER, "210922"), kind="test.count", params={"n": 1})
    claimed = task_claim()
    assert claimed.pk == task.pk
    # the worker process is killed: no more heartbeats
    Task.objects.filter(pk=task.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=10))
    again = task_claim()
    assert again.pk == task.pk and again.attempts == 2
    task_run(again)
    again.refresh_from_db()
    assert again.status == TaskStatus.DONE


def test_unknown_kind_and_missing_right_are_refused(make_user):
    with pytest.raises(ValidationFailed):
        task_enqueue(actor=make_user(Role.COUNTY_OFFICER, "210922"), kind="no.such.kind")
    with pytest.raises(PermissionDenied):
        task_enqueue(actor=make_user(Role.PAIRING_CADRE, "210922101202"), kind="test.count", params={"n": 1})
    assert not Task.objects.exists()


def test_the_task_page_reports_progress_and_polls_until_done(make_user):
    officer = make_user(Role.COUNTY_OFFICER, "210922")
    task = task_enqueue(actor=officer, kind="test.count", params={"n": 2})
    client = Client()
    client.force_login(officer)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page
    worker_loop(once=True)
    fragment = client.get(f"/tasks/{task.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "已完成" in fragment and "hx-trigger" not in fragment and "<html" not in fragment


def test_another_users_task_outside_ones_area_is_not_visible(make_user):
    task = task_enqueue(actor=make_user(Role.COUNTY_OFFICER, "210922"), kind="test.count", params={"n": 1},
                        area_code="210922000000")
    client = Client()
    client.force_login(make_user(Role.COUNTY_OFFICER, "210921"))
    assert client.get(f"/tasks/{task.pk}/").status_code == 404


def test_auditor_admin_starts_a_chain_check_from_the_audit_page(make_user):
    admin = make_user(Role.AUDIT_ADMIN, "210922")
    client = Client()
    client.force_login(admin)
    response = client.post("/audit/verify/")
    assert response.status_code == 302
    worker_loop(once=True)
    task = Task.objects.get(kind="audit.verify")
    assert task.status == TaskStatus.DONE and task.result["ok"] is True
