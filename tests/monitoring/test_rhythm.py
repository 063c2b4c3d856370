"""Monthly records, quarterly analyses and refreshes, and the overdue list that shows what is missing
to the township and the county."""

import datetime as dt

import pytest
from support.places import TOWNSHIP

from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.monitoring.rhythm import monthly_record_save, refresh_save, township_analysis_save
from fupin.monitoring.selectors import overdue, overdue_badge

from .test_elimination import GOOD_MONTH, monitored_case

pytestmark = pytest.mark.django_db


def test_monthly_record_bad_input_and_stale_edit(people):
    case = monitored_case(people)
    with clock.pinned(dt.date(2020, 9, 15)):
        for data, key in [({**GOOD_MONTH, "income": "-5"}, "income"), ({**GOOD_MONTH, "expenses": "abc"}, "expenses"),
                          ({**GOOD_MONTH, "rigid_expenses": "5000"}, "rigid_expenses"),
                          ({**GOOD_MONTH, "housing_secured": "maybe"}, "housing_secured")]:
            with pytest.raises(ValidationFailed) as refused:
                monthly_record_save(actor=people.clerk, case=case, month="2020-08", data=data)
            assert key in refused.value.details["errors"]
        with pytest.raises(ValidationFailed):
            monthly_record_save(actor=people.clerk, case=case, month="2020-10", data=GOOD_MONTH)
        with pytest.raises(ValidationFailed):
            monthly_record_save(actor=people.clerk, case=case, month="2020/08", data=GOOD_MONTH)
        with pytest.raises(ValidationFailed):
            monthly_record_save(actor=people.clerk, case=case, month="2020-04", data=GOOD_MONTH)
        record = monthly_record_save(actor=people.clerk, case=case, month="2020-08", data=GOOD_MONTH)
        with pytest.raises(Conflict):
            monthly_record_save(actor=people.clerk, case=case, month="2020-08", data=GOOD_MONTH)
        updated = monthly_record_save(actor=people.clerk, case=case, month="2020-08",
                                      data={**GOOD_MONTH, "income": "3000"}, expected_version=record.version)
        assert updated.version == 2 and str(updated.income) == "3000.00"
        with pytest.raises(PermissionDenied):
            monthly_record_save(actor=people.township, case=case, month="2020-07", data=GOOD_MONTH)


def test_overdue_lists_missing_records_analyses_and_refreshes(people):
    case = monitored_case(people)  # entered in June 2020
    with clock.pinned(dt.date(2020, 10, 20)):
        items = overdue(actor=people.township)
        kinds = {(i.kind, i.subject.split(" ")[-1]) for i in items}
        assert ("monthly", "2020-06") in kinds and ("monthly", "2020-09") in kinds
        assert not any(i.kind == "monthly" and i.subject.endswith("2020-10") for i in items)
        assert any(i.kind == "analysis" and "第2季度" in i.subject for i in items)
        assert any(i.kind == "refresh" and "第3季度" in i.subject for i in items)
        before = overdue_badge(people.township)
        assert before == len(items) and overdue_badge(people.clerk) == 0
        monthly_record_save(actor=people.clerk, case=case, month="2020-06", data=GOOD_MONTH)
        township_analysis_save(actor=people.township, township_code=TOWNSHIP, year=2020, quarter=2,
                               held_on=dt.date(2020, 10, 1), summary="研判监测户收入变化，部署帮扶")
        refresh_save(actor=people.clerk, case=case, year=2020, quarter=3, risk_level="medium", note="采集完成")
        assert overdue_badge(people.township) == before - 3
        assert overdue_badge(people.county) == before - 3
        case.refresh_from_db()
        assert case.risk_level == "medium"
        with pytest.raises(Conflict):
            township_analysis_save(actor=people.township, township_code=TOWNSHIP, year=2020, quarter=2,
                                   held_on=dt.date(2020, 10, 1), summary="重复")
        with pytest.raises(ValidationFailed):
            township_analysis_save(actor=people.township, township_code=TOWNSHIP, year=2020, quarter=5,
                                   held_on=dt.date(2020, 10, 1), summary="x")
        with pytest.raises(ValidationFailed):
            refresh_save(actor=people.clerk, case=case, year=2021, quarter=1, risk_level="medium")
        with pytest.raises(ValidationFailed):
            refresh_save(actor=people.clerk, case=case, year=2020, quarter=2, risk_level="extreme")
