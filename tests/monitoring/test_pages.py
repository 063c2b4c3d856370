"""Pages: proposing from a household, the case page with its explanation, the overdue badge in the
menu, the monitoring section on the household page, and the overdue command."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client

from fupin.core import clock
from fupin.monitoring.models import MonitoringCase
from fupin.workflow.models import Review

from .kit import CLEAN_FACTS, START, exited_household, to_entry

pytestmark = pytest.mark.django_db


def facts_post(facts):
    return {f"fact_{k}": ("1" if v is True else "0" if v is False else v) for k, v in facts.items()}


def test_propose_from_the_form_and_see_the_case(people):
    household = exited_household()
    client = Client()
    client.force_login(people.clerk)
    page = client.get(f"/monitoring/new/?household={household.pk}").content.decode()
    assert f'value="{household.household_number}"' in page
    with clock.pinned(START):
        bad = client.post("/monitoring/new/", {"household_number": "nope", "found_by": "application", "reason": "x"})
        assert bad.status_code == 200 and "没有找到户编号" in bad.content.decode()
        bad = client.post("/monitoring/new/", {"household_number": household.household_number,
                                               "found_by": "application", "reason": "因病",
                                               **facts_post({**CLEAN_FACTS, "car_value": "六万"})})
        assert bad.status_code == 200 and "应为金额" in bad.content.decode()
        response = client.post("/monitoring/new/", {"household_number": household.household_number,
                                                    "found_by": "application", "reason": "因病支出骤增",
                                                    "risk_types": ["01"], **facts_post(CLEAN_FACTS)})
    case = MonitoringCase.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/monitoring/{case.pk}/")
    page = client.get(f"/monitoring/{case.pk}/").content.decode()
    assert "政策规则判定" in page and "不得纳入监测范围的七种情形" in page and 'data-testid="case-review"' in page
    listing = client.get("/monitoring/?status=screening").content.decode()
    assert household.household_number in listing
    assert household.household_number not in client.get("/monitoring/?status=monitored").content.decode()


def test_badge_card_section_and_command(people):
    household = exited_household()
    with clock.pinned(START):
        case = MonitoringCase.objects.get(pk=__import__("fupin.monitoring.services", fromlist=["x"]).case_open(
            actor=people.clerk, household=household, found_by="application", reason="因病", risk_types=["01"],
            facts=CLEAN_FACTS).pk)
        to_entry(Review.objects.get(kind="monitoring.identify", subject_id=str(case.pk)), people)
    with clock.pinned(dt.date(2020, 9, 10)):
        client = Client()
        client.force_login(people.township)
        home = client.get("/monitoring/").content.decode()
        assert '防返贫监测 <span class="badge">' in home
        overdue = client.get("/monitoring/overdue/").content.decode()
        assert "月度监测记录未登记" in overdue and "2020-08" in overdue
        household_page = client.get(f"/registry/households/{household.pk}/").content.decode()
        assert "监测对象类型" in household_page and f"/monitoring/{case.pk}/" in household_page
        from io import StringIO

        out = StringIO()
        call_command("monitoring", "overdue", "--area", "210922101", "--on", "2020-09-10", "--json", stdout=out)
        report = json.loads(out.getvalue())
        assert report["by_kind"]["monthly"] == 3  # June, July, August
        from django.core.management.base import CommandError

        with pytest.raises(CommandError):
            call_command("monitoring", "overdue", "--area", "哈尔套镇", stdout=StringIO())
        clerk = Client()
        clerk.force_login(people.clerk)
        assert '防返贫监测 <span class="badge">' not in clerk.get("/monitoring/").content.decode()


def test_forms_on_the_case_page_save_and_refuse_bad_input(people):
    from support.places import TOWNSHIP

    from fupin.monitoring.models import TownshipAnalysis
    from fupin.monitoring.services import case_open

    household = exited_household()
    with clock.pinned(START):
        case = case_open(actor=people.clerk, household=household, found_by="screening", reason="摸排")
    clerk = Client()
    clerk.force_login(people.clerk)
    with clock.pinned(START):
        stale = clerk.post(f"/monitoring/{case.pk}/facts/", {"version": case.version + 5, **facts_post(CLEAN_FACTS)})
        assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
        saved = clerk.post(f"/monitoring/{case.pk}/facts/", {"version": case.version, **facts_post(CLEAN_FACTS)})
        assert saved.status_code == 302
        case.refresh_from_db()
        assert case.facts["large_grower"] is False
        to_entry(Review.objects.get(kind="monitoring.identify", subject_id=str(case.pk)), people)
    with clock.pinned(dt.date(2020, 7, 5)):
        bad = clerk.post(f"/monitoring/{case.pk}/monthly/", {"month": "2020-06", "income": "-1", "expenses": "10"})
        assert bad.status_code == 200 and "金额" in bad.content.decode()
        ok = clerk.post(f"/monitoring/{case.pk}/monthly/", {"month": "2020-06", "income": "3000", "expenses": "900",
                                                            "rigid_expenses": "0", "education_secured": "on",
                                                            "medical_secured": "on", "housing_secured": "on",
                                                            "water_secured": "on"})
        assert ok.status_code == 302
        assert "3000.00" in clerk.get(f"/monitoring/{case.pk}/").content.decode()
        township = Client()
        township.force_login(people.township)
        bad = township.post("/monitoring/analysis/new/", {"township": TOWNSHIP.ljust(12, "0"), "year": "2020", "quarter": "2",
                                                          "held_on": "2020-07-04", "summary": " "})
        assert bad.status_code == 200 and not TownshipAnalysis.objects.exists()
        ok = township.post("/monitoring/analysis/new/", {"township": TOWNSHIP.ljust(12, "0"), "year": "2020", "quarter": "2",
                                                         "held_on": "2020-07-04", "summary": "二季度研判：监测户1户"})
        assert ok.status_code == 302 and TownshipAnalysis.objects.get().monitored_count == 1
        # A village clerk may not reverse an elimination or record the township's analysis.
        assert clerk.get(f"/monitoring/{case.pk}/reflag/").status_code == 403
        assert clerk.get("/monitoring/analysis/new/").status_code == 403
