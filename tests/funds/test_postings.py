"""The fund ledger: the library gate, allocations within the plan, disbursement by progress (50% at 80%,
the rest on completion), reversing entries, and rows that can be neither edited nor deleted."""

import pytest

from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.funds import services as svc
from fupin.funds.ledger import project_ledger
from fupin.funds.models import FundPosting, PostingKind

from .conftest import D, funded_project, library_project, new_project

pytestmark = pytest.mark.django_db


def _pay(people, p, source, amount):
    return svc.disbursement_post(actor=people.county, project=p, source=source, amount=amount, on=clock.today())


def test_no_allocation_to_a_project_outside_the_library(people):
    p = new_project(people)
    svc.project_township_review(actor=people.township, project=p, on=clock.today())
    with pytest.raises(ValidationFailed) as err:
        svc.allocation_post(actor=people.county, project=p, source="central", amount="100000", on=clock.today())
    assert err.value.code == "project_not_in_library"
    assert "不在项目库中" in err.value.message and "乡镇已审核" in err.value.message
    assert not FundPosting.objects.exists()
    assert not AuditEvent.objects.filter(action="funds.allocation.post").exists()


def test_allocation_within_the_planned_amount_of_its_source(people):
    p = library_project(people)
    svc.allocation_post(actor=people.county, project=p, source="central", amount="500000", on=clock.today())
    with pytest.raises(ValidationFailed) as err:
        svc.allocation_post(actor=people.county, project=p, source="central", amount="100000.01", on=clock.today())
    assert err.value.code == "allocation_over_plan"
    assert "计划 600,000.00元，已下达 500,000.00元，本次 100,000.01元，超出 0.01元" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        svc.allocation_post(actor=people.county, project=p, source="county", amount="1", on=clock.today())
    assert err.value.code == "source_not_planned"
    assert FundPosting.objects.count() == 1


def test_only_the_county_posts(people):
    p = library_project(people)
    for actor in (people.clerk, people.township):
        with pytest.raises(PermissionDenied):
            svc.allocation_post(actor=actor, project=p, source="central", amount="1", on=clock.today())


def test_disbursement_by_progress_worked_example(people):
    """Spec part 01 example 28: total 1,000,000; at 60% nothing, at 80% 500,000, on completion the rest."""
    p = funded_project(people)
    svc.project_report_progress(actor=people.clerk, project=p, percent=60, on=clock.today())
    with pytest.raises(ValidationFailed) as err:
        _pay(people, p, "central", "1")
    assert err.value.code == "disbursement_over_progress"
    assert "进度达到80%后累计可拨付50%" in err.value.message and "可拨付 0.00元" in err.value.message

    clock.advance(days=10)
    svc.project_report_progress(actor=people.clerk, project=p, percent=80, on=clock.today())
    _pay(people, p, "central", "300000")
    _pay(people, p, "province", "200000")
    assert project_ledger(p).disbursed == D("500000.00")
    with pytest.raises(ValidationFailed) as err:
        _pay(people, p, "central", "0.01")
    assert err.value.code == "disbursement_over_progress"
    assert "已下达 1,000,000.00元 × 50% = 可拨付 500,000.00元，已拨付 500,000.00元，本次 0.01元" in err.value.message

    clock.advance(days=10)
    svc.project_complete(actor=people.clerk, project=p, on=clock.today())
    _pay(people, p, "central", "300000")
    _pay(people, p, "province", "200000")
    ledger = project_ledger(p)
    assert (ledger.allocated, ledger.disbursed, ledger.undisbursed) == (D(1000000), D(1000000), D(0))
    posting = FundPosting.objects.filter(kind=PostingKind.DISBURSEMENT).last()
    assert posting.rule == "项目完工后累计可拨付100%"


def test_disbursement_over_the_allocation_is_refused_with_the_numbers(people):
    p = library_project(people)
    svc.allocation_post(actor=people.county, project=p, source="central", amount="200000", on=clock.today())
    svc.project_complete(actor=people.clerk, project=p, on=clock.today())
    with pytest.raises(ValidationFailed) as err:
        _pay(people, p, "central", "250000")
    assert err.value.code == "disbursement_over_allocation"
    assert "已下达 200,000.00元，已拨付 0.00元，可拨付 200,000.00元，本次申请 250,000.00元，超出 50,000.00元" \
        in err.value.message
    with pytest.raises(ValidationFailed) as err:
        _pay(people, p, "province", "1")  # nothing allocated from this source
    assert err.value.code == "disbursement_over_allocation"
    assert not FundPosting.objects.filter(kind=PostingKind.DISBURSEMENT).exists()


def test_a_payment_cannot_be_dated_before_the_progress_that_allows_it(people):
    p = funded_project(people)
    day = clock.today()
    clock.advance(days=5)
    svc.project_report_progress(actor=people.clerk, project=p, percent=85, on=clock.today())
    with pytest.raises(ValidationFailed) as err:
        svc.disbursement_post(actor=people.county, project=p, source="central", amount="1", on=day)
    assert err.value.code == "date_order"


def test_reversal_is_a_new_entry_and_only_once(people):
    p = funded_project(people)
    svc.project_report_progress(actor=people.clerk, project=p, percent=80, on=clock.today())
    wrong = _pay(people, p, "central", "100000")
    reversal = svc.posting_reverse(actor=people.county, posting=wrong, on=clock.today(), reason="凭证号录错")
    assert reversal.amount == D("-100000.00") and reversal.reverses == wrong
    assert project_ledger(p).disbursed == D(0)
    assert FundPosting.objects.count() == 4  # two allocations, the payment and its reversal
    with pytest.raises(Conflict):
        svc.posting_reverse(actor=people.county, posting=wrong, on=clock.today(), reason="again")
    with pytest.raises(Conflict):
        svc.posting_reverse(actor=people.county, posting=reversal, on=clock.today(), reason="undo")
    assert AuditEvent.objects.filter(action="funds.posting.reverse").count() == 1


def test_an_allocation_already_paid_out_cannot_be_reversed(people):
    p = funded_project(people)
    svc.project_report_progress(actor=people.clerk, project=p, percent=80, on=clock.today())
    _pay(people, p, "central", "300000")
    allocation = FundPosting.objects.get(kind=PostingKind.ALLOCATION, source="central")
    with pytest.raises(ValidationFailed) as err:
        svc.posting_reverse(actor=people.county, posting=allocation, on=clock.today(), reason="x")
    assert err.value.code == "reversal_below_disbursed"


def test_postings_are_append_only(people):
    p = funded_project(people)
    posting = FundPosting.objects.first()
    posting.amount = D("1")
    with pytest.raises(Conflict):
        posting.save()
    with pytest.raises(Conflict):
        posting.delete()
    assert FundPosting.objects.get(pk=posting.pk).amount == D("600000.00")
    assert project_ledger(p).allocated == D("1000000.00")


@pytest.mark.parametrize("amount, code", [("0", "amount_not_positive"), ("-1", "amount_not_positive"),
                                          ("1.001", "bad_amount_precision"), ("x", "bad_amount")])
def test_bad_amounts_are_refused(people, amount, code):
    p = library_project(people)
    with pytest.raises(ValidationFailed) as err:
        svc.allocation_post(actor=people.county, project=p, source="central", amount=amount, on=clock.today())
    assert err.value.code == code
    assert not FundPosting.objects.exists()
