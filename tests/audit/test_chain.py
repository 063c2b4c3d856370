"""The audit trail is append-only and hash-chained: any edit, insertion or deletion is reported."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from fupin.audit.models import AuditEvent, AuditHead
from fupin.audit.services import audit_event, audit_prune, audit_verify
from fupin.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _events(n=5):
    return [audit_event(actor=None, action="test.event", details={"n": i, "amount": "12.50"}) for i in range(n)]


def test_a_clean_chain_verifies(areas):
    _events()
    report = audit_verify()
    assert report.ok, report.problems
    assert report.checked == AuditEvent.objects.count()
    call_command("audit", "verify")  # exit 0


def test_editing_a_row_by_hand_in_the_database_is_detected(areas):
    target = _events()[2]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["intruder", target.seq])
    report = audit_verify()
    assert [(p["seq"], p["problem"]) for p in report.problems] == [(target.seq, "edited")]
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_deleting_a_row_by_hand_is_detected(areas):
    target = _events()[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [target.seq])
    problems = {p["problem"] for p in audit_verify().problems}
    assert "deleted" in problems and "chain_broken" in problems


def test_deleting_the_last_row_is_detected(areas):
    last = _events()[-1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [last.seq])
    assert [p["problem"] for p in audit_verify().problems] == ["tail_mismatch"]


def test_inserting_a_forged_row_is_detected(areas):
    last = _events()[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (seq, occurred_at, actor_name, action, outcome, target_type, target_id,"
            " target_label, area_code, request_id, client_ip, channel, prev_hash, hash)"
            " VALUES (%s, %s, 'x', 'forged', 'ok', '', '', '', '', '', '', '', %s, %s)",
            [last.seq + 1, timezone.now(), last.hash, "f" * 64],
        )
    problems = {p["problem"] for p in audit_verify().problems}
    assert "edited" in problems and "tail_mismatch" in problems


def test_events_refuse_update_and_delete_through_the_orm(areas):
    event = _events(1)[0]
    event.action = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_pruning_younger_than_six_months_is_refused(areas):
    _events()
    with pytest.raises(ValidationFailed):
        audit_prune(actor=None, before=timezone.localdate() - dt.timedelta(days=30))
    with pytest.raises(CommandError):
        call_command("audit", "prune", "--before", timezone.localdate().isoformat())


def test_pruning_old_events_keeps_the_chain_verifiable(areas):
    old = _events(3)
    AuditEvent.objects.filter(seq__in=[e.seq for e in old]).update(
        occurred_at=timezone.now() - dt.timedelta(days=400))
    # The update above is itself tampering; rebuild their hashes as the writer would have.
    from fupin.audit.chain import event_hash, fields_of

    prev = AuditEvent.objects.filter(seq__lt=old[0].seq).order_by("-seq").first()
    prev_hash = prev.hash if prev else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=old[0].seq).order_by("seq"):
        event.prev_hash = prev_hash
        new_hash = event_hash(fields_of(event))
        AuditEvent.objects.filter(seq=event.seq).update(prev_hash=prev_hash, hash=new_hash)
        prev_hash = new_hash
    AuditHead.objects.filter(pk=1).update(last_hash=prev_hash)
    assert audit_verify().ok
    deleted = audit_prune(actor=None, before=timezone.localdate() - dt.timedelta(days=200))
    assert deleted >= 3
    report = audit_verify()
    assert report.ok, report.problems
    assert AuditEvent.objects.filter(action="audit.prune").exists()


def test_change_and_event_roll_back_together(make_user):
    from django.db import transaction

    from fupin.accounts.models import User

    count = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        User.objects.create(username="ghost")
        audit_event(actor=None, action="user.create")
        raise ZeroDivisionError("the change fails after its event was written")
    assert AuditEvent.objects.count() == count
    assert not User.objects.filter(username="ghost").exists()
    assert audit_verify().ok
