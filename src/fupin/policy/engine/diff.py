"""Comparing two packs (parameters and rules, as resolved with inheritance), and describing one pack."""

from __future__ import annotations

import datetime as dt

from .evaluate import jsonable
from .model import Pack, Rule


def _value(value):
    if isinstance(value, dict):
        return {k: jsonable(x) for k, x in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return jsonable(value)


def rule_content(rule: Rule) -> dict:
    out = {"title": rule.title, "kind": rule.kind, "mode": rule.mode,
           "clauses": [{"id": c.id, "title": c.title, "when": c.source, **({"value": c.value} if c.value else {})}
                       for c in rule.clauses]}
    if rule.amount:
        out["amount"] = rule.amount.source
    if rule.otherwise is not None:
        out["otherwise"] = rule.otherwise
    if rule.requires:
        out["requires"] = rule.requires
    return out


def describe(pack: Pack) -> dict:
    """Everything about a pack, for `fupin policy show` and the API."""
    return {
        "id": pack.id, "version": pack.version, "key": pack.key, "title": pack.title,
        "jurisdiction": pack.jurisdiction, "jurisdiction_name": pack.jurisdiction_name,
        "years": list(pack.years), "status": pack.status, "extends": pack.extends, "chain": pack.chain,
        "file": pack.file, "content_hash": pack.content_hash, "fingerprint": pack.fingerprint,
        "parameters": {name: {**p.content(), "value": _value(p.value), "origin": p.origin}
                       for name, p in pack.parameters.items()},
        "rules": [{"id": r.id, **rule_content(r), "unit": r.unit, "origin": r.origin,
                   "depends": sorted(r.depends), "fields": sorted(f"{e}.{n}" for e, n in r.fields),
                   "cite": [c.as_dict() for c in r.cite]} for r in pack.rules],
        "inputs": sorted(f"{e}.{n}" for e, n in pack.inputs),
    }


def diff(a: Pack, b: Pack) -> dict:
    """What changes from pack `a` to pack `b`."""
    params: dict = {"added": [], "removed": [], "changed": []}
    for name in sorted(set(a.parameters) | set(b.parameters)):
        pa, pb = a.parameters.get(name), b.parameters.get(name)
        if pa is None:
            params["added"].append({"name": name, "value": _value(pb.value), "title": pb.title})
        elif pb is None:
            params["removed"].append({"name": name, "value": _value(pa.value), "title": pa.title})
        elif _value(pa.value) != _value(pb.value) or pa.type != pb.type:
            params["changed"].append({"name": name, "title": pb.title or pa.title, "from": _value(pa.value),
                                      "to": _value(pb.value)})
    rules: dict = {"added": [], "removed": [], "changed": []}
    ra = {r.id: r for r in a.rules}
    rb = {r.id: r for r in b.rules}
    for rid in sorted(set(ra) | set(rb)):
        if rid not in ra:
            rules["added"].append({"id": rid, "title": rb[rid].title})
        elif rid not in rb:
            rules["removed"].append({"id": rid, "title": ra[rid].title})
        else:
            ca, cb = rule_content(ra[rid]), rule_content(rb[rid])
            changed = sorted(k for k in set(ca) | set(cb) if ca.get(k) != cb.get(k))
            if changed:
                rules["changed"].append({"id": rid, "title": rb[rid].title, "fields": changed,
                                         "from": {k: ca.get(k) for k in changed}, "to": {k: cb.get(k) for k in changed}})
    meta = {key: {"from": getattr(a, key), "to": getattr(b, key)}
            for key in ("jurisdiction", "years", "status", "extends") if getattr(a, key) != getattr(b, key)}
    same = not any(params[k] or rules[k] for k in ("added", "removed", "changed")) and not meta
    return {"from": a.key, "to": b.key, "same": same, "meta": {k: {"from": _value(v["from"]), "to": _value(v["to"])}
                                                              for k, v in meta.items()},
            "parameters": params, "rules": rules}


def diff_text(d: dict) -> str:
    lines = [f"{d['from']} → {d['to']}"]
    if d["same"]:
        return lines[0] + "\n相同 identical"
    for key, change in d["meta"].items():
        lines.append(f"  {key}: {change['from']} → {change['to']}")
    p = d["parameters"]
    for item in p["added"]:
        lines.append(f"+ 参数 {item['name']} = {item['value']}  {item['title']}")
    for item in p["removed"]:
        lines.append(f"- 参数 {item['name']} = {item['value']}  {item['title']}")
    for item in p["changed"]:
        lines.append(f"~ 参数 {item['name']}: {item['from']} → {item['to']}  {item['title']}")
    r = d["rules"]
    for item in r["added"]:
        lines.append(f"+ 规则 {item['id']}  {item['title']}")
    for item in r["removed"]:
        lines.append(f"- 规则 {item['id']}  {item['title']}")
    for item in r["changed"]:
        lines.append(f"~ 规则 {item['id']} ({', '.join(item['fields'])})  {item['title']}")
    return "\n".join(lines)
