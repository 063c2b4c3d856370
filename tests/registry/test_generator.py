"""The synthetic county: deterministic, valid, calibrated on the documents' figures, bulk-written."""

import io
import statistics
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict
from fupin.core.validators import id_number_problem
from fupin.registry.bulk import county_villages, registry_generate_csv, registry_generate_db
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.generator import CAUSE_SHARES, generate_households
from fupin.registry.models import Household, Person
from fupin.registry.validation import validate_record

pytestmark = pytest.mark.django_db


def _csv(seed: int, n: int = 300) -> str:
    out = io.StringIO()
    registry_generate_csv(county_code="210922", households=n, seed=seed, year=2020, out=out)
    return out.getvalue()


def test_same_seed_same_file_other_seed_other_file(dictionaries):
    first, again, other = _csv(11), _csv(11), _csv(12)
    assert first == again
    assert first != other
    assert first.splitlines()[0].startswith("县(市、区、旗),乡(镇),行政村,自然村,户编号,人编号,姓名,证件号码")


@pytest.fixture(scope="module")
def sample(django_db_blocker):
    with django_db_blocker.unblock():
        villages = county_villages("210922")
    return list(generate_households(villages, households=5000, seed=2020, year=2020))


def test_households_lie_on_the_real_villages_of_the_county(sample, areas):
    villages = {v.code for v in county_villages("210922")}
    used = {h["village"] for h, _m in sample}
    assert used <= villages and len(used) == len(villages), "every village gets households"
    assert all("社区" not in h["village_name"] for h, _m in sample)


def test_poverty_causes_are_calibrated_on_anshan_2020(sample):
    causes = Counter(h["main_cause"] for h, _m in sample)
    n = len(sample)
    for code, share in CAUSE_SHARES.items():
        assert abs(causes[code] / n - share) < 0.02, (code, causes[code] / n, share)
    assert causes["01"] / n == pytest.approx(1309 / 1754, abs=0.02)  # 因病
    assert causes["02"] / n == pytest.approx(243 / 1754, abs=0.015)  # 因残


def test_family_structure_and_ids_are_plausible(sample):
    sizes = [h["member_count"] for h, _m in sample if h["status"] != "natural_decrease"]
    assert 2.2 <= statistics.mean(sizes) <= 2.8
    assert Counter(sizes)[1] / len(sizes) > 0.15, "many single elderly households"
    ids = [p["id_number"] for _h, members in sample for p in members]
    assert len(ids) == len(set(ids))
    assert all(id_number_problem(i[:18]) is None and i.startswith("210922") for i in ids)
    for _h, members in sample:
        assert sum(1 for p in members if p["relation"] == "02") == 1
    disabled_cards = sum(1 for _h, members in sample for p in members if p["id_type"] != "01")
    assert disabled_cards > 50


def test_incomes_sit_around_the_poverty_lines(sample):
    exited = [float(h["per_capita_net_income"]) for h, _m in sample if h["status"] == "exited"]
    poor = [float(h["per_capita_net_income"]) for h, _m in sample
            if h["status"] in ("registered", "expected_exit", "returned")]
    below_5000 = sum(1 for x in exited if x < 5000) / len(exited)
    assert 0.04 < below_5000 < 0.25
    assert 3000 <= statistics.median(poor) <= 5000
    assert 5500 <= statistics.median(exited) <= 10000


def test_every_generated_household_passes_validation(sample, dictionaries):
    codes = code_lists_for_year(2020)
    for household, members in sample[:800]:
        problems = validate_record(household, members, codes, year=2020)
        assert problems == [], (household["household_number"], [str(p) for p in problems])


def test_written_to_the_database_in_bulk(dictionaries, django_assert_max_num_queries):
    with django_assert_max_num_queries(200):
        result = registry_generate_db(actor=None, county_code="210922", households=600, seed=5, year=2020,
                                      batch_size=250)
    assert (result.households, Household.objects.count()) == (600, 600)
    assert result.persons == Person.objects.count()
    event = AuditEvent.objects.get(action="registry.generate")
    assert event.details == {"year": 2020, "seed": 5, "households": 600, "persons": result.persons}
    h = Household.objects.order_by("household_number").first()
    assert h.persons.filter(relation="02", status="active").count() == 1


def test_a_second_run_for_the_same_year_is_refused(dictionaries):
    registry_generate_db(actor=None, county_code="210922", households=20, seed=5, year=2020)
    with pytest.raises(Conflict, match="2020年度彰武县已有农户数据"):
        registry_generate_db(actor=None, county_code="210922", households=20, seed=6, year=2020)
    assert Household.objects.count() == 20


def test_command_writes_a_file_and_the_database(dictionaries, tmp_path, capsys):
    out = tmp_path / "zhangwu.csv"
    call_command("generate", "--county", "210922", "--households", "25", "--seed", "3", "--out", str(out), "--json")
    text = out.read_text(encoding="utf-8-sig")
    assert text.count("\n") > 25 and '"households": 25' in capsys.readouterr().out
    call_command("generate", "--county", "210921", "--households", "10", "--db")
    assert Household.objects.filter(village__code__startswith="210921").count() == 10


@pytest.mark.parametrize(("args", "message"), [
    (["--county", "2109", "--households", "5", "--db"], "--county 应为6位县级区划代码"),
    (["--county", "210922", "--households", "0", "--db"], "--households 应为正整数"),
    (["--county", "219999", "--households", "5", "--db"], "未知的县级区划：219999"),
])
def test_command_refuses_bad_arguments(dictionaries, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate", *args)


def test_an_earlier_year_has_the_later_cohorts_still_poor(dictionaries):
    villages = county_villages("210922")
    statuses = Counter(h["status"] for h, _m in generate_households(villages, households=1500, seed=4, year=2017))
    assert statuses["registered"] + statuses["expected_exit"] > statuses["exited"] * 0.8
    records = list(generate_households(villages, households=300, seed=4, year=2017))
    assert all(h["exit_year"] is None or h["exit_year"] < 2017 for h, _m in records)
    codes = code_lists_for_year(2017)
    assert all(validate_record(h, m, codes, year=2017) == [] for h, m in records)
