"""Reads of the scoring schemes and pure scoring runs, with engine problems turned into the
application's errors (a clear Chinese message; the details list every problem)."""

from __future__ import annotations

from fupin.accounts.access import actor_prefixes, require
from fupin.assessment.engine import (
    AssessmentError,
    RunResult,
    Scheme,
    UnknownScheme,
    score_run,
    shipped_catalogue,
)
from fupin.core.errors import NotFound, ValidationFailed


def _raise(exc: AssessmentError, *, code: str):
    messages = exc.messages
    head = messages[0] if len(messages) == 1 else f"共 {len(messages)} 处问题：{messages[0]} ……"
    error = NotFound if isinstance(exc, UnknownScheme) else ValidationFailed
    raise error(head, code=code, details={"problems": messages}) from exc


def schemes_list() -> list[Scheme]:
    """The latest version of every shipped scheme, with default options."""
    return shipped_catalogue().latest()


def applies_to(scheme: Scheme, prefixes: list[str]) -> bool:
    """A scheme of a jurisdiction concerns the people working in it and those above it: a Zhangwu
    county officer sees the Liaoning and Zhangwu schemes; a Fuxin county officer only Liaoning's."""
    return any(p.startswith(scheme.jurisdiction) or scheme.jurisdiction.startswith(p) for p in prefixes)


def schemes_visible(*, actor, action: str = "assessment.view") -> list[Scheme]:
    prefixes = actor_prefixes(actor, action)
    return [s for s in schemes_list() if applies_to(s, prefixes)]


def scheme_for(*, actor, scheme_id: str, options: dict | None = None, action: str = "assessment.view") -> Scheme:
    """One scheme the actor may use; another jurisdiction's scheme is "not found" to them (audited)."""
    require(actor, action)
    scheme = scheme_get(scheme_id, options=options)
    if not applies_to(scheme, actor_prefixes(actor, action)):
        from fupin.audit.services import audit_denial

        audit_denial(actor=actor, action="access.denied", reason=f"assessment scheme {scheme_id} {action}")
        raise NotFound(f"未知的考核方案或不在您的管辖范围内：{scheme_id}", code="unknown_scheme")
    return scheme


def scheme_get(scheme_id: str, *, version: int | None = None, options: dict | None = None) -> Scheme:
    try:
        return shipped_catalogue().scheme(scheme_id, version, options)
    except UnknownScheme as exc:
        _raise(exc, code="unknown_scheme")
    except AssessmentError as exc:
        _raise(exc, code="bad_option")


def findings_score(*, scheme_id: str, document: dict, options: dict | None = None,
                   version: int | None = None) -> RunResult:
    """Score raw findings (the JSON documented in docs/assessment.md). Nothing is written.

    `document` may name its scheme and options; a scheme it names must be the one asked for, and
    `options` given here win over the document's."""
    if not isinstance(document, dict):
        raise ValidationFailed("输入应为 JSON 对象：{\"subjects\": [...]}", code="bad_findings")
    named = document.get("scheme")
    if named is not None and named != scheme_id:
        raise ValidationFailed(f"输入文件写的是方案“{named}”，与所选方案“{scheme_id}”不一致", code="scheme_mismatch")
    unknown = set(document) - {"scheme", "version", "options", "subjects"}
    if unknown:
        raise ValidationFailed(f"输入中有未知的键：{'、'.join(sorted(unknown))}（可用 scheme、version、options、subjects）",
                               code="bad_findings")
    chosen = {**(document.get("options") or {}), **(options or {})}
    scheme = scheme_get(scheme_id, version=version or document.get("version"), options=chosen)
    try:
        return score_run(scheme, document)
    except AssessmentError as exc:
        _raise(exc, code="bad_findings")
