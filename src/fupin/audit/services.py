"""Writing, verifying and pruning audit events. Every service that changes state calls `audit_event`
inside its own transaction, so the change and its event commit or roll back together."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.audit.chain import event_hash, fields_of
from fupin.audit.models import AuditEvent, AuditHead, Outcome
from fupin.core import context
from fupin.core.changes import data_changed
from fupin.core.errors import ValidationFailed


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, getattr(actor, "username", "") or ""
    return actor.pk, actor.get_username()


def audit_event(
    *,
    actor,
    action: str,
    target: Any = None,
    area_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    details: dict | None = None,
    outcome: str = Outcome.OK,
    actor_name: str = "",
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction of the change it records."""
    ctx = context.current()
    actor_id, name = _actor_fields(actor)
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            actor_id=actor_id,
            actor_name=(name or actor_name)[:150],
            action=action,
            outcome=outcome,
            target_type=target._meta.label_lower if hasattr(target, "_meta") else "",
            target_id=str(getattr(target, "pk", "") or "") if target is not None else "",
            target_label=str(target)[:200] if target is not None else "",
            area_code=area_code or "",
            before=_jsonable(before),
            after=_jsonable(after),
            details=_jsonable(details),
            request_id=ctx.request_id,
            client_ip=ctx.client_ip,
            channel=ctx.channel,
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(fields_of(event))
        event.save(force_insert=True)
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    data_changed()
    return event


def audit_denial(*, actor, action: str, reason: str, path: str = "", area_code: str = "", username: str = ""):
    """A refused request: recorded in its own transaction even though nothing else is written."""
    with transaction.atomic():
        return audit_event(
            actor=actor,
            action=action,
            outcome=Outcome.DENIED,
            area_code=area_code,
            details={"reason": reason, "path": path} if path else {"reason": reason},
            actor_name=username,
        )


@dataclass
class VerifyReport:
    checked: int = 0
    first_seq: int = 0
    last_seq: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "checked": self.checked, "first_seq": self.first_seq,
            "last_seq": self.last_seq, "problems": self.problems,
        }


def audit_verify(*, batch_size: int = 5000) -> VerifyReport:
    """Walk the chain from the pruning point to the head; name every edited, inserted or missing event."""
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(pk=1)
    report = VerifyReport(first_seq=head.pruned_through_seq + 1)
    expected_seq, expected_prev = head.pruned_through_seq + 1, head.pruned_through_hash
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        report.checked += 1
        if event.seq < expected_seq:
            report.problems.append({"seq": event.seq, "problem": "inserted", "message": _("出现在修剪点之前的事件")})
        elif event.seq > expected_seq:
            report.problems.append({
                "seq": expected_seq, "problem": "deleted",
                "message": _("缺少事件 %(a)s–%(b)s") % {"a": expected_seq, "b": event.seq - 1},
            })
        if event.prev_hash != expected_prev and event.seq >= expected_seq:
            report.problems.append({"seq": event.seq, "problem": "chain_broken", "message": _("前一哈希不连续")})
        if event_hash(fields_of(event)) != event.hash:
            report.problems.append({"seq": event.seq, "problem": "edited", "message": _("内容与哈希不符（被修改）")})
        expected_seq, expected_prev = event.seq + 1, event.hash
        report.last_seq = event.seq
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        report.problems.append({
            "seq": head.last_seq, "problem": "tail_mismatch",
            "message": _("链尾与链头记录不符（末尾事件被删除或追加）"),
        })
    return report


def audit_prune(*, actor, before: dt.date) -> int:
    """Remove events older than `before`, keeping the chain verifiable from the new first event.

    Refused for anything younger than FUPIN_AUDIT_MIN_RETENTION_DAYS (six months).
    """
    limit = timezone.localdate() - dt.timedelta(days=settings.FUPIN_AUDIT_MIN_RETENTION_DAYS)
    if before > limit:
        raise ValidationFailed(
            _("审计事件至少保留6个月：只能修剪 %(limit)s 之前的事件") % {"limit": limit.isoformat()},
            code="retention",
        )
    cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        last = AuditEvent.objects.filter(occurred_at__lt=cutoff).order_by("-seq").first()
        if last is None:
            return 0
        # A queryset delete, not Model.delete(): the model refuses single deletes on purpose.
        count, _per_model = AuditEvent.objects.filter(seq__lte=last.seq).delete()
        head.pruned_through_seq, head.pruned_through_hash = last.seq, last.hash
        head.save(update_fields=["pruned_through_seq", "pruned_through_hash"])
        audit_event(actor=actor, action="audit.prune", details={"through_seq": last.seq, "deleted": count})
    return count
