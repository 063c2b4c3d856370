"""The shipped Zhangwu 2020 checklist: twelve areas, every point cited from its seed line, loaded once."""

from __future__ import annotations

import pytest
from support.seeds import SEEDS_DIR

from fupin.supervision.checklists import checklists_load, read_checklist, shipped_files
from fupin.supervision.models import Checklist, ChecklistItem

SEEDS = {"000": "000_053db9d62dfd1711.txt", "001": "001_691fe32ec257c7d4.txt", "002": "002_608217856fafa471.txt",
         "003": "003_c2d774f8fee53390.txt", "004": "004_cbca9fd88ffe3713.txt"}


def test_twelve_areas_of_the_zhangwu_checklist():
    (zhangwu,) = [f for f in shipped_files() if f.key == "zhangwu-2020-supervision"]
    titles = {p.area_no: p.area_title for p in zhangwu.points}
    assert sorted(titles) == list(range(1, 13))
    assert titles[4] == "精准健康扶贫" and titles[7] == "就业扶贫"
    assert sum(1 for p in zhangwu.points if p.area_no == 4) == 10  # the ten 100% health indicators
    assert sum(1 for p in zhangwu.points if p.area_no == 11) == 12  # 党建促扶贫: twelve points


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed documents are not present here")
def test_every_point_quotes_a_line_of_its_seed():
    lines = {seed: (SEEDS_DIR / name).read_text(encoding="utf-8").splitlines() for seed, name in SEEDS.items()}
    missing = [(f.key, p.no, p.quote) for f in shipped_files() for p in f.points
               if not any(p.quote in line for line in lines[p.seed])]
    assert missing == []


def test_a_point_without_a_citation_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nversion = 1\ntitle = "t"\nyear = 2020\njurisdiction = "210922"\n'
                   '[[areas]]\nno = 1\ntitle = "组织保障"\nitems = [{ no = "1.1", text = "例会" }]\n', encoding="utf-8")
    with pytest.raises(Exception) as refused:
        read_checklist(bad)
    assert "没有注明出处原文" in str(refused.value)


@pytest.mark.django_db
def test_loading_is_idempotent(areas):
    checklists_load()
    checklists_load()
    assert Checklist.objects.filter(key="zhangwu-2020-supervision").count() == 1
    assert ChecklistItem.objects.filter(checklist__key="zhangwu-2020-supervision").count() == 63
