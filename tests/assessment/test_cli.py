"""`fupin assess`: list schemes, score findings from a JSON file, refuse bad input with a clear message."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TEAMS = {"subjects": [
    {"id": "a", "name": "县卫健局工作队", "findings": {"1": 3, "20": 5, "21": {"member_months_short": 12},
                                                   "24": {"village": 92, "households": 88}, "11": 200, "12": 10}},
    {"id": "b", "name": "县教育局工作队", "findings": {"11": 50, "12": 5, "24": {"village": 100, "households": 100}}},
]}


def assess(*args) -> str:
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, document) -> str:
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_schemes():
    text = assess("schemes")
    assert "zhangwu-2020-team" in text and "24项" in text
    rows = json.loads(assess("schemes", "--json"))
    assert {r["id"] for r in rows} >= {"zhangwu-2017-team", "zhangwu-2020-township", "zhangwu-2020-department"}


def test_show():
    text = assess("show", "--scheme", "zhangwu-2020-team")
    assert "得分＝所驻村满意度（%）×4分+贫困户满意度（%）×4分" in text and "attendance_unit" in text


def test_score_text(tmp_path):
    text = assess("score", "--scheme", "zhangwu-2020-team", "--input", write(tmp_path, TEAMS))
    first, second = text.index("第1名  县教育局工作队  96.75 分"), text.index("第2名  县卫健局工作队  83.7 分")
    assert first < second
    assert "资料记录不全（处）：5 × 0.5 分 = 扣 2.5 分" in text and "其余 20 项得满分" in text


def test_score_json_with_an_option(tmp_path):
    result = json.loads(assess("score", "--scheme", "zhangwu-2020-team", "--input", write(tmp_path, TEAMS),
                               "--option", "proportional_method=rank", "--json"))
    assert result["options"]["proportional_method"] == "rank"
    assert [(s["id"], s["score"]) for s in result["subjects"]] == [("b", 97.5), ("a", 83.7)]
    indicators = {i["id"]: i for i in result["subjects"][1]["components"][0]["indicators"]}
    assert indicators["21"]["score"] == 0.0 and indicators["21"]["lines"][0]["points"] == -12.0


@pytest.mark.parametrize("findings, message", [
    ({"25": 1}, "未知的指标“25”"),
    ({"14": -2}, "发现次数不能为负数：-2"),
    ({"24": {"village": 120, "households": 90}}, "所驻村满意度不能超过100%：120%"),
])
def test_bad_findings_refused(tmp_path, findings, message):
    document = {"subjects": [{"id": "a", "findings": {"11": 1, "12": 1, "24": {"village": 90, "households": 90},
                                                      **findings}}]}
    with pytest.raises(CommandError, match=message):
        assess("score", "--scheme", "zhangwu-2020-team", "--input", write(tmp_path, document))


def test_bad_files_and_options(tmp_path):
    with pytest.raises(CommandError, match="无法读取输入文件"):
        assess("score", "--scheme", "zhangwu-2020-team", "--input", str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{subjects: ", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON（第 1 行"):
        assess("score", "--scheme", "zhangwu-2020-team", "--input", str(broken))
    with pytest.raises(CommandError, match="未知的考核方案“zhangwu-2021-team”"):
        assess("score", "--scheme", "zhangwu-2021-team", "--input", write(tmp_path, TEAMS))
    with pytest.raises(CommandError, match="取值“weekly”无效"):
        assess("score", "--scheme", "zhangwu-2020-team", "--input", write(tmp_path, TEAMS),
               "--option", "attendance_unit=weekly")
    with pytest.raises(CommandError, match="与所选方案“zhangwu-2017-team”不一致"):
        assess("score", "--scheme", "zhangwu-2017-team", "--input",
               write(tmp_path, {**TEAMS, "scheme": "zhangwu-2020-team"}))


def test_check_shipped_files():
    assert assess("check").count(": OK") == 5


def test_exit_code_and_stderr(tmp_path):
    document = {"subjects": [{"id": "a", "findings": {"25": 1}}]}
    result = subprocess.run([sys.executable, "-m", "fupin.cli", "assess", "score", "--scheme", "zhangwu-2020-team",
                             "--input", write(tmp_path, document)], capture_output=True, text=True, timeout=120,
                            env={"FUPIN_DEBUG": "1", "FUPIN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0 and "未知的指标“25”" in result.stderr and result.stdout == ""


@pytest.mark.django_db
def test_score_writes_the_official_sheets(tmp_path):
    from openpyxl import load_workbook

    folder = tmp_path / "sheets"
    assess("score", "--scheme", "zhangwu-2020-team", "--input", write(tmp_path, TEAMS), "--sheets", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["001-a.pdf", "001-a.xlsx", "002-b.pdf", "002-b.xlsx", "ranking-all.xlsx"]
    assert (folder / "001-a.pdf").read_bytes().startswith(b"%PDF")
    sheet = load_workbook(folder / "001-a.xlsx").active
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "县考核组负责人签字" in text and "83.7" in text
