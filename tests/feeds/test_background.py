"""A large feed runs as a background task with progress; the command line loads a file too."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from support.places import COUNTY

from fupin.feeds import tasks as feed_tasks
from fupin.feeds.models import FeedUpload
from fupin.tasks.models import Task
from fupin.tasks.services import worker_loop

from .conftest import MEDICAL_HEADER, claim, persons, write_csv

pytestmark = pytest.mark.django_db


def test_a_large_file_is_queued_and_the_worker_processes_it(monkeypatch, settings, tmp_path, medical, family_here):
    settings.DATA_DIR = str(tmp_path / "data")
    monkeypatch.setattr(feed_tasks, "INLINE_MAX_BYTES", 10)
    wang = persons(family_here)[0]
    path = write_csv(tmp_path / "m.csv", MEDICAL_HEADER, [claim(wang, "A1", out_of_pocket="99999")])
    upload = feed_tasks.upload_start(actor=medical, kind_key="medical_insurance", county_code=COUNTY,
                                     upload=SimpleUploadedFile("m.csv", path.read_bytes()), year=2020)
    assert upload.status == "queued" and upload.task_id
    assert worker_loop(once=True) == 1
    task = Task.objects.get(pk=upload.task_id)
    assert task.status == "done", task.error
    assert (task.progress_done, task.progress_total) == (4, 4) and task.result["alerts"] == 1
    upload.refresh_from_db()
    assert (upload.status, upload.alerts_raised) == ("done", 1)
    assert not list((tmp_path / "data" / "feeds").iterdir())  # the file with personal data is gone


def test_the_command_loads_a_file(capsys, tmp_path, family_here):
    wang = persons(family_here)[0]
    path = write_csv(tmp_path / "m.csv", MEDICAL_HEADER, [claim(wang, "A1", out_of_pocket="99999"), claim(wang, "A1")])
    call_command("feeds", "load", "medical_insurance", str(path), "--year", "2020", "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["accepted"], out["duplicate"], out["alerts"]) == (1, 1, 1)
    assert out["problems"][0]["problem"] == "与第2行重复"
    assert FeedUpload.objects.get().uploaded_by is None
