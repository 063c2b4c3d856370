"""Schemes as plain data for the API and the pages."""

from __future__ import annotations

from fupin.assessment.engine import Scheme
from fupin.assessment.engine.model import EFFECT_LABELS, LEVEL_LABELS


def _num(value):
    return None if value is None else float(value)


def _fact_text(s: Scheme, name: str) -> str:
    fact = s.fact(name.lstrip("!"))
    title = fact.title if fact else name
    return f"未{title}" if name.startswith("!") else title


def scheme_summary(s: Scheme) -> dict:
    return {"id": s.id, "version": s.version, "title": s.title, "short_title": s.short_title, "issuer": s.issuer,
            "year": s.year, "jurisdiction": s.jurisdiction, "subject": s.subject, "max": float(s.max),
            "grading": s.grading, "digest": s.digest}


def scheme_detail(s: Scheme) -> dict:
    return {
        **scheme_summary(s),
        "parts": [{"id": p.id, "title": p.title, "max": float(p.max), "weight": _num(p.weight),
                   "indicators": [i.id for i in p.indicators]} for p in s.parts],
        "indicators": [{
            "id": i.id, "title": i.title, "part": i.part_id, "kind": i.kind, "max": float(i.max),
            "criterion": i.criterion, "note": i.note,
            "clauses": [{"id": c.id, "title": c.title, "per": _num(c.per), "points": _num(c.points),
                         "at_least": _num(c.at_least), "cap": _num(c.cap), "input": c.input, "active": c.active}
                        for c in i.clauses],
            "measures": [{"id": m.id, "title": m.title, "points": float(m.points), "unit": m.unit,
                          "method": i.method} for m in i.measures],
            "terms": [{"id": t.id, "title": t.title, "factor": float(t.factor)} for t in i.terms],
            "cites": [c.as_dict() for c in i.cites],
        } for i in s.indicators],
        "options": [{"id": o.id, "title": o.title, "type": o.type, "default": str(o.default),
                     "chosen": str(s.chosen[o.id]), "choices": o.choices, "decision": o.decision}
                    for o in s.options.values()],
        "grades": [{"name": g.name, "min_score": _num(g.min_score), "max_score": _num(g.max_score),
                    "quota": str(g.quota) if g.quota is not None else None, "quota_kind": g.quota_kind,
                    "requires": [_fact_text(s, f) for f in g.requires], "award": g.award} for g in s.grades],
        "adjustments": [{"id": a.id, "title": a.title, "sign": a.sign, "entered": a.entered,
                         "levels": {LEVEL_LABELS[k]: float(v) for k, v in a.levels.items()},
                         "per_occurrence": a.per_occurrence, "active": a.active} for a in s.adjustments],
        "vetoes": [{"id": v.id, "title": v.title, "effects": [EFFECT_LABELS[e] for e in v.effects], "grade": v.grade}
                   for v in s.vetoes],
        "facts": [{"id": f.id, "title": f.title, "required": f.default is None} for f in s.facts],
        "notes": list(s.notes), "warnings": list(s.warnings),
    }
