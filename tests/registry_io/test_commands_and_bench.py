"""`fupin import registry`, `fupin export registry`, and a small run of both benchmarks."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from fupin.core.bench import report
from fupin.registry.bench import bench_export, bench_import
from fupin.registry.models import Household, Person, RegistryYear

from .kit import col, counts, error_rows, generated, households_of, write_csv

pytestmark = pytest.mark.django_db


def _call(*args) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_import_command_imports_and_prints_json(dictionaries, tmp_path):
    header, rows = generated(20)
    payload = _call("import", "registry", str(write_csv(tmp_path / "c.csv", header, rows)))
    assert payload["status"] == "imported" and payload["persons_created"] == len(rows) == counts()[1]


def test_import_command_fails_with_the_error_workbook(dictionaries, tmp_path):
    header, rows = generated(20)
    rows[0][col(header, "与户主关系")] = "邻居"
    errors = tmp_path / "out" / "errors.xlsx"
    errors.parent.mkdir()
    with pytest.raises(CommandError) as failure:
        call_command("import", "registry", str(write_csv(tmp_path / "c.csv", header, rows)), "--errors", str(errors),
                     stdout=io.StringIO())
    assert "未导入" in str(failure.value)
    assert counts() == (0, 0)
    assert any("邻居" in r[4] for r in error_rows(errors))


def test_import_command_partial_exits_2(dictionaries, tmp_path):
    header, rows = generated(20)
    rows[0][col(header, "与户主关系")] = "邻居"
    with pytest.raises(CommandError) as failure:
        call_command("import", "registry", str(write_csv(tmp_path / "c.csv", header, rows)), "--partial",
                     stdout=io.StringIO())
    assert failure.value.returncode == 2
    assert counts()[0] == len(households_of(header, rows)) - 1
    assert (tmp_path / "c-errors.xlsx").exists()


def test_import_command_as_a_user_and_an_unknown_user(dictionaries, make_user, tmp_path):
    header, rows = generated(20)
    path = write_csv(tmp_path / "c.csv", header, rows)
    with pytest.raises(CommandError, match="没有启用的用户"):
        call_command("import", "registry", str(path), "--user", "nobody", stdout=io.StringIO())
    clerk = make_user("village_clerk", "210922101202")
    with pytest.raises(CommandError):
        call_command("import", "registry", str(path), "--user", clerk.username, stdout=io.StringIO())
    assert counts() == (0, 0)


def test_export_command(dictionaries, tmp_path):
    header, rows = generated(20)
    source = write_csv(tmp_path / "c.csv", header, rows)
    _call("import", "registry", str(source))
    out = tmp_path / "export.csv"
    payload = _call("export", "registry", "--out", str(out), "--unmasked")
    assert payload["rows"] == len(rows) and out.read_bytes() == source.read_bytes()
    masked = _call("export", "registry", "--out", str(tmp_path / "masked.xlsx"))
    assert masked["format"] == "xlsx" and masked["masked_rows"] == len(rows)


def _shape(payload: dict, baselines: set[str]) -> None:
    assert set(payload) >= {"workload", "size", "database", "result", "baselines", "ratios"}
    assert set(payload["result"]) == {"seconds", "per_second", "peak_rss_mb"}
    assert set(payload["baselines"]) == baselines == set(payload["ratios"])
    assert all(isinstance(v, float | int) and v > 0 for v in payload["ratios"].values())


def test_bench_import_small(dictionaries, areas):
    from django.db import connection

    outcome = bench_import(size=150, seed=3)
    payload = json.loads(json.dumps(report(workload="import", size=150, database=connection.vendor, outcome=outcome)))
    first = "postgres_copy" if connection.vendor == "postgresql" else "sqlite_executemany"
    _shape(payload, {first, "orm_per_row"})
    assert payload["extra"]["persons"] >= 150
    assert not Household.objects.exists() and not Person.objects.exists(), "the bench cleans up"
    assert not RegistryYear.objects.exists()


def test_bench_export_small(dictionaries, areas):
    from django.db import connection

    outcome = bench_export(size=150, seed=3)
    payload = json.loads(json.dumps(report(workload="export", size=150, database=connection.vendor, outcome=outcome)))
    _shape(payload, {"postgres_copy" if connection.vendor == "postgresql" else "sqlite_select_csv"})
    assert payload["extra"]["persons"] > 100
    assert not Household.objects.exists()
