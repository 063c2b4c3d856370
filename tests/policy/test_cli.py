"""`fupin policy list | show | check | diff | publish` and `fupin evaluate`, as a user runs them."""

from __future__ import annotations

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from fupin.policy.engine import shipped_folder

from .conftest import MONITORING_BASE, household


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped packs that a test may change."""
    target = tmp_path / "packs"
    shutil.copytree(shipped_folder(), target)
    return target


def test_list_shows_every_shipped_pack():
    data = json.loads(run("policy", "list", "--json"))
    keys = {p["key"] for p in data["packs"]}
    assert {"liaoning-2020@1", "zhangwu-2020@1", "zhangwu-2017@1", "zhangwu-2018@1", "anshan-2020@1",
            "fushun-2018-2020@1", "benxi-2019@1", "tieling-2019@1"} <= keys
    assert data["problems"] == []
    text = run("policy", "list")
    assert "zhangwu-2020@1" in text and "← liaoning-2020@1" in text


def test_show_gives_parameters_rules_and_citations():
    data = json.loads(run("policy", "show", "zhangwu-2020", "--json"))
    assert data["key"] == "zhangwu-2020@2"  # the highest version
    assert data["chain"] == ["zhangwu-2020@2", "zhangwu-2020@1", "liaoning-2020@1"]
    assert data["parameters"]["national_poverty_line"]["value"] == 4000
    assert data["parameters"]["national_poverty_line"]["origin"] == "liaoning-2020"
    rule = next(r for r in data["rules"] if r["id"] == "microcredit_eligible")
    assert "household.loan_amount" in rule["fields"]
    assert "监测" in run("policy", "show", "liaoning-2020@1")


def test_show_an_unknown_pack_fails_with_the_known_ones():
    with pytest.raises(CommandError, match="no valid pack 'nope'.*zhangwu-2020@1"):
        run("policy", "show", "nope")


def test_check_passes_on_the_shipped_packs():
    data = json.loads(run("policy", "check", "--json"))
    assert data["ok"] and len(data["checked"]) >= 8


def test_check_a_file_with_a_typo_names_file_line_and_field(folder, tmp_path):
    source = (folder / "zhangwu-2020.v1.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "draft.yaml"
    broken.write_text(source.replace("version: 1", "version: 3").replace("status: published", "status: draft")
                      .replace("per_capita_net_income < params.low_income_line",
                               "per_capita_net_incom < params.low_income_line"), encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        run("policy", "check", str(broken), "--folder", str(folder))
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("policy", "check", str(broken), "--folder", str(folder), "--json", stdout=out)
    problem = json.loads(out.getvalue())["problems"][0]
    line = next(i for i, text in enumerate(broken.read_text().splitlines(), 1) if "per_capita_net_incom <" in text)
    assert problem["file"] == str(broken) and problem["line"] == line
    assert problem["field"] == "rules[low_income_list].all[1].when"
    assert "did you mean: per_capita_net_income" in problem["message"]


def test_check_refuses_an_edited_published_pack(folder):
    path = folder / "benxi-2019.v1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 2000\n", "value: 2500\n", 1), encoding="utf-8")
    with pytest.raises(CommandError):
        run("policy", "check", "--folder", str(folder))
    data = json.loads(run("policy", "list", "--json", "--folder", str(folder)))
    assert "benxi-2019@1" not in {p["key"] for p in data["packs"]}
    assert any("publish the change as a new version" in p["message"] for p in data["problems"])


def test_diff_between_years():
    text = run("policy", "diff", "zhangwu-2017@1", "zhangwu-2020@1")
    assert "~ 参数 workteam_min_days_per_month: 3 → 20" in text
    data = json.loads(run("policy", "diff", "zhangwu-2018@1", "zhangwu-2020@1", "--json"))
    assert data["from"] == "zhangwu-2018@1" and not data["same"]


def test_diff_lists_what_the_second_zhangwu_2020_version_adds():
    text = run("policy", "diff", "zhangwu-2020@1", "zhangwu-2020@2")
    for line in ("+ 参数 pairing_cadre_max_households = 5", "+ 参数 pairing_cadre_min_visits_per_month = 3",
                 "+ 参数 monitoring_notice_days = 7", "+ 参数 elimination_stable_months = 6",
                 "+ 参数 keep_monitoring_without_labour = True", "+ 参数 workshop_training_months_max = 6"):
        assert line in text
    data = json.loads(run("policy", "diff", "zhangwu-2020@1", "zhangwu-2020@2", "--json"))
    assert data["parameters"]["removed"] == [] and data["parameters"]["changed"] == []
    assert data["rules"] == {"added": [], "removed": [], "changed": []}


def test_publish_a_new_version(folder):
    source = (folder / "tieling-2019.v1.yaml").read_text(encoding="utf-8")
    (folder / "tieling-2019.v2.yaml").write_text(source.replace("version: 1", "version: 2").replace(
        "value: 4770", "value: 4800"), encoding="utf-8")
    with pytest.raises(CommandError):  # marked published but not recorded yet
        run("policy", "check", "--folder", str(folder))
    assert "已发布 published tieling-2019@2" in run("policy", "publish", "tieling-2019@2", "--folder", str(folder))
    run("policy", "check", "--folder", str(folder))
    data = json.loads(run("policy", "diff", "tieling-2019@1", "tieling-2019@2", "--json", "--folder", str(folder)))
    assert data["parameters"]["changed"][0]["to"] == 4800


def write_lines(path, *items):
    path.write_text("\n".join(i if isinstance(i, str) else json.dumps(i, ensure_ascii=False) for i in items) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["single", "batch"])
def test_evaluate_writes_decisions_and_reasons_and_survives_bad_lines(tmp_path, engine, capsys):
    path = write_lines(tmp_path / "in.jsonl",
                       household(id="ok"), "not json", household(id="typed", car_value="五万"),
                       household(id="missing", car_value=None), "[1, 2]")
    out = tmp_path / "out.jsonl"
    call_command("evaluate", "--pack", "zhangwu-2020@1", "--input", str(path), "--output", str(out),
                 "--rules", "monitoring_eligible", "--engine", engine)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [item.get("household") for item in lines] == ["ok", None, "typed", "missing", None]
    ok = lines[0]
    assert ok["pack"] == "zhangwu-2020@1" and ok["as_of"] == "2020-12-31" and len(ok["fingerprint"]) == 64
    assert ok["decisions"]["monitoring_eligible"]["value"] is True
    assert "line 2: not valid JSON" in lines[1]["error"]
    assert "car_value: cannot read '五万' as number" in lines[2]["error"]
    assert lines[3]["decisions"]["monitoring_eligible"]["status"] == "error"
    assert "car_value" in lines[3]["decisions"]["monitoring_exclusion"]["error"]
    assert "must be a JSON object" in lines[4]["error"]
    if engine == "single":
        assert any("收入监测线" in r or "收入低于监测线" in r for r in ok["decisions"]["monitoring_eligible"]["reasons"])
    assert "5 户 households, 3 行无法读取 unreadable" in capsys.readouterr().err


def test_evaluate_division_by_zero_on_some_households(tmp_path):
    pack_dir = tmp_path / "packs"
    pack_dir.mkdir()
    shutil.copy(shipped_folder() / "fields.yaml", pack_dir)
    (pack_dir / "ratio-2020.v1.yaml").write_text("""
id: ratio-2020
version: 1
title: 人均支出占比
jurisdiction: "210922"
year: 2020
status: draft
rules:
  - id: expense_share
    title: 刚性支出占上年收入的比例
    kind: amount
    amount: rigid_expenditure / previous_year_net_income
    cite: {seed: "000", quote: "因灾因疫、意外事故或其他重大变故引发的刚性支出明显超"}
""", encoding="utf-8")
    path = write_lines(tmp_path / "in.jsonl", {"id": "a", "rigid_expenditure": 3000, "previous_year_net_income": 12000},
                       {"id": "b", "rigid_expenditure": 3000, "previous_year_net_income": 0},
                       {"id": "c", "rigid_expenditure": 100, "previous_year_net_income": 3})
    for engine in ("single", "batch"):
        out = tmp_path / f"{engine}.jsonl"
        call_command("evaluate", "--pack", "ratio-2020", "--input", str(path), "--output", str(out),
                     "--folder", str(pack_dir), "--engine", engine, "--no-explain")
        lines = [json.loads(line)["decisions"]["expense_share"] for line in out.read_text().splitlines()]
        assert lines[0]["value"] == "0.25"
        assert lines[1]["status"] == "error" and "division by zero" in lines[1]["error"]
        assert lines[2]["value"] == "33.33"


def test_evaluate_refuses_an_unknown_pack_or_rule(tmp_path):
    path = write_lines(tmp_path / "in.jsonl", MONITORING_BASE)
    with pytest.raises(CommandError, match="no valid pack"):
        call_command("evaluate", "--pack", "nope-2020", "--input", str(path))
    with pytest.raises(CommandError, match="has no rule 'nope'"):
        call_command("evaluate", "--pack", "zhangwu-2020", "--input", str(path), "--rules", "nope")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("evaluate", "--pack", "zhangwu-2020", "--input", str(tmp_path / "absent.jsonl"))


@pytest.mark.parametrize("command", [["policy", "--help"], ["policy", "check", "--help"], ["evaluate", "--help"]])
def test_help_is_bilingual(command):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "fupin.cli", *command], capture_output=True, text=True, timeout=120,
                         env={"FUPIN_DEBUG": "1", "PATH": "/usr/bin:/bin"}).stdout
    assert any("\u4e00" <= ch <= "\u9fff" for ch in out), out
    assert any(word in out for word in ("publish", "--folder", "--pack")), out
