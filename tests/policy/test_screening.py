"""Screening runs: every household of an area decided with a published pack and stored in bulk, one row
per household and rule, with the run record and an audit event, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from registry.factories import make_household
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import Locked, NotFound, ValidationFailed
from fupin.policy import frames, services
from fupin.policy.households import household_evaluate
from fupin.policy.models import ScreeningRun, StoredDecision
from fupin.policy.selectors import latest_stored, pack_get
from fupin.policy.services import screening_run
from fupin.registry.services import registry_year_freeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def village_households(areas):
    """Three households of 富有村 in 2020 (a poor one, a better-off one, one with nobody) and one in the
    neighbouring village."""
    poor = make_household(household_type="1", wage_income=Decimal("3000.00"), business_income=Decimal("0.00"),
                          transfer_income=Decimal("0.00"), production_costs=Decimal("0.00"))
    richer = make_household(household_type="2", wage_income=Decimal("60000.00"))
    empty = make_household(household_type="3", members=[])
    other = make_household(village=OTHER_VILLAGE, household_type="1")
    return poor, richer, empty, other


def _rows(run) -> set[tuple]:
    return set(StoredDecision.objects.filter(run=run).values_list(
        "household_id", "rule", "status", "value", "error", "area_code", "pack").iterator())


def _clauses(run) -> dict:
    return {(d.household_id, d.rule): d.clauses for d in StoredDecision.objects.filter(run=run)}


def test_a_run_stores_one_row_per_household_and_rule(village_households, make_user):
    poor, richer, empty, other = village_households
    officer = make_user(Role.COUNTY_OFFICER, "210922")
    run = screening_run(actor=officer, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE)
    pack = pack_get("zhangwu-2020")
    assert (run.pack, run.households, run.engine, run.created_by) == (pack.key, 3, "polars", officer)
    assert run.decisions == 3 * len(pack.rules) == StoredDecision.objects.filter(run=run).count()
    assert not StoredDecision.objects.filter(run=run, household=other).exists()
    assert set(run.counts) == {r.id for r in pack.rules}
    assert run.errors == StoredDecision.objects.filter(run=run, status="error").count()
    event = AuditEvent.objects.get(action="policy.screen")
    assert event.target_id == str(run.pk) and event.details["households"] == 3 and event.actor_id == officer.pk


def test_stored_decisions_equal_the_live_explanation(village_households, make_user):
    poor = village_households[0]
    screening_run(actor=None, pack_ref="zhangwu-2020@1", year=2020, area_code=VILLAGE)
    run, stored = latest_stored(poor)
    live = household_evaluate(poor).decisions
    assert set(stored) == set(live)
    for rule_id, decision in live.items():
        kept = stored[rule_id]
        assert kept.status == decision.status, rule_id
        if decision.status == "ok":
            shown = decision.as_dict(explain=False)["value"]
            assert kept.value == (str(shown).lower() if isinstance(shown, bool) else str(shown)), rule_id
        else:
            assert kept.error == (decision.error or ""), rule_id
    assert stored["low_income_list"].value == "true"  # 3,000 yuan a year for three people


@pytest.mark.parametrize("engine", ["local"])
def test_engines_store_identical_rows(village_households, engine):
    polars_run = screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=TOWNSHIP)
    other_run = screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=TOWNSHIP, engine=engine)
    assert polars_run.households == other_run.households == 4
    assert _rows(polars_run) == _rows(other_run)
    assert _clauses(polars_run) == _clauses(other_run)


def test_the_latest_run_is_shown(village_households):
    poor = village_households[0]
    first = screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE)
    second = screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE, engine="local")
    assert latest_stored(poor)[0] == second != first


def test_a_run_that_fails_writes_nothing(village_households, monkeypatch):
    # the audit event is the last write of the run: failing there must take the decisions back too
    def refuse(**kwargs):
        raise RuntimeError("audit chain unavailable")

    monkeypatch.setattr(services, "audit_event", refuse)
    with pytest.raises(RuntimeError):
        screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE)
    assert not ScreeningRun.objects.exists() and not StoredDecision.objects.exists()


# ---- bad input --------------------------------------------------------------------------------------

def test_unknown_pack_is_refused(village_households):
    with pytest.raises(ValidationFailed) as exc:
        screening_run(actor=None, pack_ref="zhangwu-2030", year=2020, area_code=VILLAGE)
    assert exc.value.code == "unknown_pack" and "zhangwu-2030" in exc.value.message
    assert not ScreeningRun.objects.exists()


def test_pack_of_another_year_or_place_is_refused(village_households):
    with pytest.raises(ValidationFailed) as exc:
        screening_run(actor=None, pack_ref="zhangwu-2020", year=2019, area_code=VILLAGE)
    assert exc.value.code == "pack_year"
    with pytest.raises(ValidationFailed) as exc:
        screening_run(actor=None, pack_ref="benxi-2019", year=2019, area_code=VILLAGE)
    assert exc.value.code == "pack_area"


def test_unknown_engine_and_bad_year(village_households):
    with pytest.raises(ValidationFailed):
        screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE, engine="excel")
    with pytest.raises(ValidationFailed) as exc:
        screening_run(actor=None, pack_ref="zhangwu-2020", year="二〇二〇", area_code=VILLAGE)
    assert exc.value.code == "bad_year"


def test_area_out_of_scope_is_not_found(village_households, make_user):
    clerk = make_user(Role.TOWNSHIP_REVIEWER, "210922102")
    with pytest.raises(NotFound):
        screening_run(actor=clerk, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE)
    assert AuditEvent.objects.filter(outcome="denied", actor_id=clerk.pk).exists()
    assert not ScreeningRun.objects.exists()


def test_a_frozen_year_is_refused(village_households, make_user):
    admin = make_user(Role.COUNTY_ADMIN, "210922")
    registry_year_freeze(actor=admin, county_code="210922", year=2020)
    with pytest.raises(Locked) as exc:
        screening_run(actor=admin, pack_ref="zhangwu-2020", year=2020, area_code=VILLAGE)
    assert exc.value.code == "year_frozen" and "封存" in exc.value.message
    assert not ScreeningRun.objects.exists()


def test_a_household_whose_data_cannot_be_read_gets_errors_not_a_failed_run(village_households):
    poor = village_households[0]
    records, villages = frames.registry_records(services.area_households(
        __import__("fupin.areas.selectors", fromlist=["area_get"]).area_get(VILLAGE), 2020), pack_get("zhangwu-2020"))
    bad = next(r for r in records if r["id"] == str(poor.pk))
    bad["per_capita_net_income"] = "not a number"
    rows = list(frames.decide("polars", pack_get("zhangwu-2020"), records, dt.date(2020, 12, 31)))
    mine = [r for r in rows if r.household_id == poor.pk]
    assert mine and all(r.status == "error" and "per_capita_net_income" in r.error for r in mine)
    assert any(r.status == "ok" for r in rows if r.household_id != poor.pk)


@pytest.mark.spark
def test_spark_stores_the_same_rows_as_polars(village_households):
    pytest.importorskip("pyspark")
    polars_run = screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=TOWNSHIP)
    spark_run = screening_run(actor=None, pack_ref="zhangwu-2020", year=2020, area_code=TOWNSHIP, engine="spark")
    assert spark_run.engine == "spark" and spark_run.households == 4
    assert _rows(polars_run) == _rows(spark_run)
    assert _clauses(polars_run) == _clauses(spark_run)


def test_screen_command(village_households, make_user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("screen", "--pack", "zhangwu-2020", "--year", "2020", "--area", VILLAGE, "--engine", "local",
                 "--json", stdout=out)
    data = json.loads(out.getvalue())
    run = ScreeningRun.objects.get(pk=data["run"])
    assert (data["households"], data["engine"], run.engine) == (3, "local", "local")
    assert data["decisions"] == StoredDecision.objects.filter(run=run).count()
    with pytest.raises(CommandError, match="没有此政策包"):
        call_command("screen", "--pack", "zhangwu-2021", "--year", "2020", "--area", VILLAGE, stdout=StringIO())
    make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk1")
    with pytest.raises(CommandError):  # a clerk does not run screenings
        call_command("screen", "--pack", "zhangwu-2020", "--year", "2020", "--area", VILLAGE, "--user", "clerk1",
                     stdout=StringIO())
    assert ScreeningRun.objects.count() == 1


def test_demo_screens_the_demo_township_once(village_households):
    from fupin.policy.demo import demo_policy

    run = demo_policy()
    assert run is not None and run.area_code == "210922101000" and run.households == 4
    assert demo_policy() is None and ScreeningRun.objects.count() == 1
