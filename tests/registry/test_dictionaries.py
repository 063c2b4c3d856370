"""Versioned code lists: shipped as CSV, loaded idempotently, read as of a date."""

import datetime as dt
import shutil

import pytest
from django.core.management import call_command

from fupin.audit.models import AuditEvent
from fupin.core.errors import ValidationFailed
from fupin.registry.dictionaries import DATA_DIR, code_lists, dictionaries_load
from fupin.registry.models import Dictionary, DictionaryEntry

pytestmark = pytest.mark.django_db


def test_load_is_idempotent_and_audited_once(areas):
    first = dictionaries_load(actor=None)
    assert first.dictionaries == 17 and first.created > 150
    events = AuditEvent.objects.filter(action="dictionaries.load").count()
    second = dictionaries_load(actor=None)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert AuditEvent.objects.filter(action="dictionaries.load").count() == events


def test_lists_are_read_as_of_a_date(dictionaries):
    in_2020, in_2021 = code_lists(dt.date(2020, 12, 31)), code_lists(dt.date(2021, 6, 1))
    assert in_2020.label("risk_type", "05") == "因疫" and not in_2021.has("risk_type", "05")
    assert in_2020.label("risk_type", "04") == "因灾" and in_2021.label("risk_type", "04") == "因自然灾害"
    assert in_2020.label("monitoring_type", "1") == "脱贫监测户"
    assert in_2021.label("monitoring_type", "3") == "突发严重困难户"
    assert in_2020.lookup("poverty_cause", "因病") == "01"
    assert len(in_2020.choices("ethnicity")) == 58


def test_an_edited_label_is_updated_not_duplicated(areas, tmp_path):
    folder = tmp_path / "dicts"
    shutil.copytree(DATA_DIR, folder)
    dictionaries_load(actor=None)
    path = folder / "health_status.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("患有大病", "大病"), encoding="utf-8")
    result = dictionaries_load(actor=None, folder=folder)
    assert result.updated == 1 and result.created == 0
    assert DictionaryEntry.objects.get(dictionary__name="health_status", code="3").label == "大病"


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("sex.csv", "1,男,2003-01-01", "1,男,", "sex.csv 第2行：生效日期不能为空"),
    ("sex.csv", "1,男,2003-01-01,", "1,男,2003-01-01,2002-01-01", "sex.csv 第2行：失效日期应晚于生效日期"),
    ("sex.csv", "1,男,2003-01-01", "1,男,2003年", "sex.csv 第2行：日期“2003年”无效（应为 YYYY-MM-DD）"),
    ("sex.csv", "2,女", ",女", "sex.csv 第3行：代码和名称不能为空"),
])
def test_a_bad_file_is_refused_and_nothing_is_written(areas, tmp_path, file, old, new, message):
    folder = tmp_path / "dicts"
    shutil.copytree(DATA_DIR, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        dictionaries_load(actor=None, folder=folder)
    assert exc.value.message == message
    assert not Dictionary.objects.exists()


def test_a_missing_list_is_named(areas, tmp_path):
    folder = tmp_path / "dicts"
    shutil.copytree(DATA_DIR, folder)
    index = folder / "dictionaries.csv"
    index.write_text("\n".join(line for line in index.read_text(encoding="utf-8").splitlines()
                               if not line.startswith("ethnicity,")) + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="缺少字典：ethnicity"):
        dictionaries_load(actor=None, folder=folder)


def test_command_prints_counts(areas, capsys):
    call_command("dictionaries", "load", "--json")
    out = capsys.readouterr().out
    assert '"dictionaries": 17' in out
