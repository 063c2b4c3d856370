"""The shipped plans: checked on import, flagged where the document does not add up, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from fupin.areas.services import areas_load
from fupin.audit.models import AuditEvent
from fupin.core.errors import ValidationFailed
from fupin.progress.catalogue import plans_load, shipped_files
from fupin.progress.models import Milestone, Plan, Target

pytestmark = pytest.mark.django_db
DATA = Path(shipped_files()[0]).parent


def load(name: str, **kwargs):
    return plans_load(actor=None, files=[DATA / name], **kwargs)[0]


def test_every_shipped_file_is_present():
    names = {p.name for p in shipped_files()}
    assert {"benxi-2019.toml", "anshan-2020.toml", "anshan-2020-special-actions.toml", "fushun-2018-2020.toml",
            "zhangwu-2020-employment.toml", "zhangwu-2020-targets.toml"} <= names


def test_zhangwu_employment_table_flags_its_total_and_keeps_the_rows(areas):
    report = load("zhangwu-2020-employment.toml")
    assert report.status == "loaded"
    assert any("D列印刷合计 10141，各行相加 10143" in f for f in report.flags)
    plan = Plan.objects.get(code="zhangwu-2020-employment")
    guidance = Target.objects.filter(plan=plan, name="2020实现贫困人口有务工收入人数指导数")
    assert guidance.count() == 24
    assert sum(t.value for t in guidance) == 10143  # the rows as printed
    # 哈尔套镇 row 9 sits on the township's own code; 二道河子乡 matches 二道河子蒙古族乡 loosely and says so
    assert guidance.get(area__code="210922101000").value == 547
    assert any("二道河子蒙古族乡" in f for f in plan.flags)
    assert AuditEvent.objects.filter(action="progress.plan_load").exists()


def test_loading_twice_keeps_the_first_load(areas):
    load("zhangwu-2020-targets.toml")
    target = Target.objects.get(name="新建扶贫车间")
    target.reported_value = 7
    target.save()
    assert load("zhangwu-2020-targets.toml").status == "kept"
    assert Target.objects.get(name="新建扶贫车间").reported_value == 7
    assert load("zhangwu-2020-targets.toml", replace=True).status == "loaded"
    assert Target.objects.get(name="新建扶贫车间").reported_value is None


def test_benxi_plan_has_monthly_milestones(areas):
    areas_load(actor=None, province="21", within=["210521"])
    report = load("benxi-2019.toml")
    assert (report.status, report.targets) == ("loaded", 3)
    due = list(Milestone.objects.filter(plan__code="benxi-2019").values_list("due", flat=True))
    assert len({d.month for d in due}) == 12
    assert Target.objects.get(plan__code="benxi-2019", name="2019年脱贫人数").value == 205


def test_a_plan_for_an_area_not_loaded_is_skipped_with_the_reason(areas):
    report = load("fushun-2018-2020.toml")
    assert report.status == "skipped" and "未加载的区划代码" in report.reason
    assert not Plan.objects.filter(code="fushun-2018-2020").exists()


def test_fushun_rolling_targets_belong_to_the_city_when_it_is_loaded(areas):
    areas_load(actor=None, province="21", within=["210421"])
    report = load("fushun-2018-2020.toml")
    assert report.status == "loaded" and report.targets > 0
    targets = Target.objects.filter(plan__code="fushun-2018-2020")
    assert set(targets.values_list("area__code", flat=True)) == {"210400000000"}
    assert set(targets.values_list("period_start__year", flat=True)) == {2018, 2019, 2020}


def write(tmp_path, body: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(body, encoding="utf-8")
    return path


HEAD = 'code = "t"\ntitle = "测试方案"\nkind = "annual"\narea = "210922"\nstart = 2020-01-01\nend = 2020-06-30\n'


def test_a_milestone_after_the_plans_end_refuses_the_file(areas, tmp_path):
    path = write(tmp_path, HEAD + '[[milestones]]\ndue = 2020-07-15\ntitle = "节点"\n'
                                 '[[targets]]\nname = "指标"\nvalue = 1\ndeadline = 2020-05-01\nlead_unit = "县扶贫办"\n')
    with pytest.raises(ValidationFailed, match="晚于方案截止日期"):
        plans_load(actor=None, files=[path])
    assert not Plan.objects.filter(code="t").exists() and not Target.objects.filter(name="指标").exists()


@pytest.mark.parametrize(("extra", "message"), [
    ('[[targets]]\nname = "x"\nvalue = -3\n', "不能为负数"),
    ('[[targets]]\nname = "x"\nvalue = "很多"\n', "应为数字"),
    ('[[targets]]\nname = "x"\nindicator = "nonsense"\nvalue = 1\n', "未知的实时指标"),
    ('[[targets]]\nname = "x"\nvalue = 1\ndeadline = 2021-01-01\n', "不在方案期间"),
    ('colour = "red"\n', "未知字段"),
])
def test_bad_plan_files_are_refused_with_a_clear_message(areas, tmp_path, extra, message):
    body = HEAD + extra if extra.startswith("[[") else extra + HEAD
    with pytest.raises(ValidationFailed, match=message):
        plans_load(actor=None, files=[write(tmp_path, body)])
    assert not Plan.objects.filter(code="t").exists()


def test_a_file_that_is_not_toml_is_refused(areas, tmp_path):
    with pytest.raises(ValidationFailed, match="无法读取方案文件"):
        plans_load(actor=None, files=[write(tmp_path, "code = [unterminated")])
