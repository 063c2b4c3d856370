"""A folder of pack files → validated, resolved, immutable packs.

Inheritance: a pack may extend another (`extends: liaoning-2020@1`); it inherits the parent's
parameters, inputs and rules, may override parameter values (same type) and replace rules with the
same id. Parent rules are bound again with the child's parameters, so a county that changes the
poverty line changes every inherited rule that reads it. Cycles are reported with the whole chain.

Immutability: `published.json` beside the packs records the content hash of every published pack.
A published file whose content no longer matches is refused (a change is a new version), and a file
marked published but never recorded is refused too (`fupin policy publish` records it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import HOUSEHOLD, Catalogue, registry_catalogue
from .check import Env, Param, check, fields_used, rules_used
from .errors import ExpressionError, PackError, Problem
from .model import Clause, Pack, Parameter, Rule
from .packfile import (
    CLAUSE_KEYS,
    NAME_RE,
    RULE_KEYS,
    RULE_KINDS,
    PackFile,
    content_hash,
    expression_type,
    read_cites,
    read_field_defs,
    read_pack_file,
    significant_prefix,
    unknown_keys,
)
from .yamlmarks import Located, YamlError, load

LOCK_NAME = "published.json"
FIELDS_NAME = "fields.yaml"


def shipped_folder() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "policy"


@dataclass
class PackSet:
    packs: dict[str, Pack] = field(default_factory=dict)
    files: dict[str, PackFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    folder: Path | None = None

    def get(self, ref: str) -> Pack:
        """A pack by `id@version`, or by `id` alone (its highest version)."""
        if "@" in ref:
            if ref in self.packs:
                return self.packs[ref]
        else:
            versions = [p for p in self.packs.values() if p.id == ref]
            if versions:
                return max(versions, key=lambda p: p.version)
        known = ", ".join(sorted(self.packs)) or "none"
        broken = [p for p in self.problems if ref.split("@")[0] in p.file or ref in p.message]
        hint = f"; it has errors: {broken[0]}" if broken else ""
        raise KeyError(f"no valid pack {ref!r} (known: {known}){hint} / 没有此政策包")

    def for_area(self, code: str, year: int, *, published_only: bool = True) -> list[Pack]:
        """Packs that apply to the area `code` in `year`, most specific jurisdiction first."""
        code = str(code).ljust(12, "0")
        found = [p for p in self.packs.values()
                 if p.covers(year) and code.startswith(significant_prefix(p.jurisdiction))
                 and (p.status == "published" or not published_only)]
        latest: dict[str, Pack] = {}
        for pack in found:
            if pack.id not in latest or pack.version > latest[pack.id].version:
                latest[pack.id] = pack
        return sorted(latest.values(), key=lambda p: (-len(significant_prefix(p.jurisdiction)), p.id))

    def raise_for_problems(self) -> None:
        if self.problems:
            raise PackError(self.problems)


def read_lock(folder: Path) -> dict[str, str]:
    path = folder / LOCK_NAME
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def supplement_fields(folder: Path, problems: list[Problem]) -> list:
    path = folder / FIELDS_NAME
    if not path.exists():
        return []
    try:
        data = load(path.read_text(encoding="utf-8"))
    except YamlError as exc:
        problems.append(Problem(FIELDS_NAME, exc.line, "", exc.message))
        return []

    def report(line, where, message):
        problems.append(Problem(FIELDS_NAME, line, where, message))

    return read_field_defs(data, 1, report, origin="policy", where="")


def load_folder(folder: Path | str | None = None, *, catalogue: Catalogue | None = None,
                extra: list[PackFile] | None = None, lock: dict[str, str] | None = None) -> PackSet:
    """Every pack in `folder` (default: the shipped packs), plus `extra` files (e.g. one being checked)."""
    folder = Path(folder) if folder else shipped_folder()
    catalogue = registry_catalogue() if catalogue is None else catalogue
    result = PackSet(folder=folder)
    catalogue = catalogue.extended(supplement_fields(folder, result.problems))
    lock = read_lock(folder) if lock is None else lock
    files = [read_pack_file(path) for path in sorted(folder.glob("*.yaml")) if path.name != FIELDS_NAME]
    by_key: dict[str, PackFile] = {}
    for pf in [*files, *(extra or [])]:
        result.problems.extend(pf.problems)
        if not pf.id or not pf.version:
            continue
        if pf.key in by_key and by_key[pf.key].path != pf.path:
            if extra and pf in extra:  # a file being checked replaces the shipped one of the same key
                by_key[pf.key] = pf
                continue
            pf.problem(pf.data.line_of("id"), "id", f"{pf.key} is also defined in {by_key[pf.key].path} / 编号与版本重复")
            result.problems.extend(pf.problems[-1:])
            continue
        by_key[pf.key] = pf
    result.files = by_key
    for key, pf in by_key.items():
        problems: list[Problem] = []
        pack = _resolve(pf, by_key, catalogue, lock, problems)
        result.problems.extend(problems)
        if pack is not None and not problems and not pf.problems:
            result.packs[key] = pack
    seen = set()
    unique = []
    for problem in result.problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    result.problems = unique
    return result


def _chain(pf: PackFile, by_key: dict[str, PackFile], problems: list[Problem]) -> list[PackFile] | None:
    chain = [pf]
    current = pf
    while current.extends:
        if current.extends in [c.key for c in chain]:
            cycle = " → ".join([c.key for c in chain] + [current.extends])
            problems.append(Problem(current.path, current.extends_line, "extends",
                                    f"inheritance cycle / 继承循环: {cycle}"))
            return None
        parent = by_key.get(current.extends)
        if parent is None:
            problems.append(Problem(current.path, current.extends_line, "extends",
                                    f"no pack {current.extends} to extend / 找不到被继承的政策包"))
            return None
        if parent.problems:
            problems.append(Problem(current.path, current.extends_line, "extends",
                                    f"the parent pack {parent.key} has errors (see {parent.path}) / 上级政策包有错误"))
            return None
        chain.append(parent)
        current = parent
    return chain


def _resolve(pf: PackFile, by_key, base: Catalogue, lock: dict[str, str], problems: list[Problem]) -> Pack | None:
    chain = _chain(pf, by_key, problems)
    if chain is None:
        return None
    data = pf.data
    status = data.get("status", "draft")
    recorded = lock.get(pf.key)
    if status == "published" and recorded is None:
        problems.append(Problem(pf.path, data.line_of("status"), "status",
                                f"marked published but not recorded in {LOCK_NAME}; run `fupin policy publish {pf.key}` "
                                f"/ 标为已发布但未登记"))
    elif status == "published" and recorded != pf.hash:
        problems.append(Problem(pf.path, data.line_of("version"), "version",
                                f"{pf.key} was published and its content has changed since; publish the change as a new "
                                f"version / 已发布的政策包不能修改，请另立新版本"))
    elif status != "published" and recorded is not None:
        problems.append(Problem(pf.path, data.line_of("status"), "status",
                                f"{pf.key} was published; it cannot go back to draft / 已发布的政策包不能改回草稿"))
    for ancestor in chain[1:]:
        if status == "published" and ancestor.data.get("status", "draft") != "published":
            problems.append(Problem(pf.path, pf.extends_line, "extends",
                                    f"a published pack cannot extend the draft {ancestor.key} / 已发布的政策包不能继承草稿"))
    params: dict[str, Parameter] = {}
    inputs = []
    raw_rules: list[tuple[PackFile, Located, int]] = []
    for link in reversed(chain):
        for name, param in link.parameters.items():
            if name in params and params[name].type != param.type:
                problems.append(Problem(link.path, param.line, f"parameters.{name}.type",
                                        f"type {param.type} differs from {params[name].type} in {params[name].origin} "
                                        f"/ 与上级政策包的参数类型不同"))
            params[name] = param
        inputs.extend(link.inputs)
        rules = link.data.get("rules") or []
        for i, raw in enumerate(rules if isinstance(rules, list) else []):
            rid = raw.get("id") if isinstance(raw, Located) else None
            entry = (link, raw, rules.line_of(i))
            slot = next((k for k, (_, r, _) in enumerate(raw_rules) if isinstance(r, Located) and r.get("id") == rid),
                        None) if rid else None
            if slot is not None and raw_rules[slot][0] is link:
                problems.append(Problem(link.path, rules.line_of(i), f"rules[{rid}].id", "duplicate rule id / 规则编号重复"))
            elif slot is not None:
                raw_rules[slot] = entry
            else:
                raw_rules.append(entry)
    catalogue = base.extended(inputs)
    env = Env(catalogue, {n: Param(n, expression_type(p), p.value) for n, p in params.items()}, {})
    for link in chain:
        for name in link.broken - set(params):
            env.params[name] = Param(name, None, None)
    for _link, raw, _line in raw_rules:
        if isinstance(raw, Located) and isinstance(raw.get("id"), str) and raw.get("kind", "flag") in RULE_KINDS:
            env.rules[raw["id"]] = {"flag": "bool", "amount": "number", "classify": "text"}[raw.get("kind", "flag")]
    compiled = []
    for link, raw, line in raw_rules:
        rule = read_rule(link, raw, line, env, problems)
        if rule is not None:
            compiled.append(rule)
    ordered = _order(compiled, pf, problems)
    if problems:
        return None
    first, last = (data.get("years") or [data.get("year")] * 2)
    return Pack(
        id=pf.id, version=pf.version, title=str(data.get("title") or ""),
        jurisdiction=str(data.get("jurisdiction")).ljust(12, "0"), jurisdiction_name=str(data.get("jurisdiction_name") or ""),
        years=(first, last), status=status, extends=pf.extends, parameters=params, rules=ordered, catalogue=catalogue,
        inputs={(d.entity, d.name): d for d in inputs}, file=pf.path, content_hash=pf.hash,
        fingerprint=content_hash([link.hash for link in chain]), chain=[link.key for link in chain],
    )


def _order(rules: list[Rule], pf: PackFile, problems: list[Problem]) -> list[Rule]:
    """Rules after the rules they read (stable otherwise); a cycle is a problem."""
    by_id = {r.id: r for r in rules}
    done: list[Rule] = []
    state: dict[str, int] = {}

    def visit(rule: Rule, path: list[str]) -> None:
        if state.get(rule.id) == 2:
            return
        if state.get(rule.id) == 1:
            cycle = " → ".join([*path[path.index(rule.id):], rule.id])
            problems.append(Problem(rule.file, rule.line, f"rules[{rule.id}]", f"rules read each other in a cycle / "
                                    f"规则相互引用成环: {cycle}"))
            return
        state[rule.id] = 1
        for dep in sorted(rule.depends):
            if dep in by_id:
                visit(by_id[dep], [*path, rule.id])
        state[rule.id] = 2
        done.append(rule)

    for rule in rules:
        visit(rule, [])
    for rule in done:  # every field a rule reads, through the rules it reads
        for dep in rule.depends:
            if dep in by_id:
                rule.fields |= by_id[dep].fields
    return done


def _expr(link: PackFile, holder: Located, key: str, where: str, env: Env, problems: list[Problem], want: str):
    source = holder.get(key)
    line = holder.line_of(key)
    if not isinstance(source, str) or not source.strip():
        problems.append(Problem(link.path, line, f"{where}.{key}", "expected an expression (text) / 应为表达式文本"))
        return None
    source = " ".join(source.split())
    try:
        tree = check(source, env, HOUSEHOLD)
    except ExpressionError as exc:
        if exc.secondary:
            return None
        problems.append(Problem(link.path, line, f"{where}.{key}", exc.render(source)))
        return None
    if tree.type != want:
        problems.append(Problem(link.path, line, f"{where}.{key}",
                                f"must give {want}, gives {tree.type} / 表达式结果类型不对: {source}"))
        return None
    return source, tree


def read_rule(link: PackFile, raw, line: int, env: Env, problems: list[Problem]) -> Rule | None:  # noqa: C901
    if not isinstance(raw, Located):
        problems.append(Problem(link.path, line, "rules", "a rule is a mapping / 规则应为映射"))
        return None
    rid = raw.get("id")
    where = f"rules[{rid}]" if isinstance(rid, str) else f"rules[line {line}]"
    before = len(problems)
    sink = PackFile(link.path, raw)  # collects structural problems with the same file name
    unknown_keys(sink, raw, RULE_KEYS, where)
    if not isinstance(rid, str) or not NAME_RE.match(rid):
        sink.problem(raw.line_of("id"), f"{where}.id", "a rule id is lower_case_with_underscores / 规则编号格式不对")
    kind = raw.get("kind", "flag")
    if kind not in RULE_KINDS:
        sink.problem(raw.line_of("kind"), f"{where}.kind", f"kind is one of {', '.join(RULE_KINDS)} / 规则类型不对")
    cites = read_cites(sink, raw, where, required=False)
    clauses: list[Clause] = []
    mode = "all"
    if kind == "classify":
        cases = raw.get("cases")
        if not isinstance(cases, list) or not cases:
            sink.problem(raw.line, f"{where}.cases", "a classification needs cases / 分类规则需要 cases")
            cases = []
        if not isinstance(raw.get("otherwise"), str):
            sink.problem(raw.line_of("otherwise"), f"{where}.otherwise",
                         "a classification needs otherwise: the class when no case holds / 需要 otherwise")
        for i, case in enumerate(cases):
            spot = f"{where}.cases[{i}]"
            if not isinstance(case, Located) or not isinstance(case.get("value"), str):
                sink.problem(cases.line_of(i), spot, "a case has value (text) and when / 分类项需要 value 和 when")
                continue
            unknown_keys(sink, case, CLAUSE_KEYS, spot)
            got = _expr(link, case, "when", spot, env, problems, "bool")
            case_cites = read_cites(sink, case, spot, required=False)
            if not cites and not case_cites:
                sink.problem(case.line, spot, "missing citation (on the rule or on each case) / 缺少出处引文")
            if got:
                cid = case.get("id") or f"case_{i + 1}"
                clauses.append(Clause(str(cid), str(case.get("title") or case["value"]), got[0], got[1], case_cites,
                                      case["value"]))
    else:
        present = [k for k in ("when", "all", "any") if k in raw]
        if len(present) > 1:
            sink.problem(raw.line, where, "use only one of when, all, any / when、all、any 只能用一个")
        elif present == ["when"]:
            got = _expr(link, raw, "when", where, env, problems, "bool")
            if got:
                clauses.append(Clause(rid if isinstance(rid, str) else "when", str(raw.get("title") or ""), got[0],
                                      got[1], cites))
        elif present:
            mode = present[0]
            items = raw[mode]
            if not isinstance(items, list) or not items:
                sink.problem(raw.line_of(mode), f"{where}.{mode}", "expected a list of clauses / 应为条件列表")
                items = []
            ids = set()
            for i, item in enumerate(items):
                spot = f"{where}.{mode}[{i}]"
                if not isinstance(item, Located) or not isinstance(item.get("id"), str) or not NAME_RE.match(item["id"]):
                    sink.problem(items.line_of(i), spot, "a clause has id (lower_case) and when / 条件需要 id 和 when")
                    continue
                if item["id"] in ids:
                    sink.problem(items.line_of(i), f"{spot}.id", "duplicate clause id / 条件编号重复")
                ids.add(item["id"])
                unknown_keys(sink, item, CLAUSE_KEYS - {"value"}, spot)
                clause_cites = read_cites(sink, item, spot, required=False)
                if not cites and not clause_cites:
                    sink.problem(item.line, spot, "missing citation (on the rule or on each clause) / 缺少出处引文")
                got = _expr(link, item, "when", spot, env, problems, "bool")
                if got:
                    clauses.append(Clause(item["id"], str(item.get("title") or ""), got[0], got[1], clause_cites))
        elif kind == "flag":
            sink.problem(raw.line, where, "a flag rule needs when, all or any / 判定规则需要 when、all 或 any")
        if not cites and not raw.get("all") and not raw.get("any") and not raw.get("cases"):
            sink.problem(raw.line, where, "missing citation: add cite: {seed, quote} / 缺少出处引文")
    amount = None
    if kind == "amount":
        if "amount" not in raw:
            sink.problem(raw.line, f"{where}.amount", "an amount rule needs amount: <expression> / 需要 amount 表达式")
        else:
            got = _expr(link, raw, "amount", where, env, problems, "number")
            if got:
                amount = Clause("amount", "金额 amount", got[0], got[1])
    elif "amount" in raw:
        sink.problem(raw.line_of("amount"), f"{where}.amount", "only an amount rule has amount / 只有金额规则有 amount")
    requires = raw.get("requires") or []
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        sink.problem(raw.line_of("requires"), f"{where}.requires", "requires lists household field names / 应为字段名列表")
        requires = []
    for name in requires:
        if env.catalogue.get(HOUSEHOLD, name) is None:
            sink.problem(raw.line_of("requires"), f"{where}.requires", f"unknown household field {name!r} / 未知字段")
    problems.extend(sink.problems)
    if len(problems) > before:
        return None
    depends = set()
    fields: set = set()
    for clause in [*clauses, *([amount] if amount else [])]:
        depends |= rules_used(clause.expr)
        fields |= fields_used(clause.expr)
    return Rule(rid, str(raw.get("title") or ""), kind, mode, clauses, amount,
                raw.get("otherwise") if kind == "classify" else None, list(requires), str(raw.get("unit") or ""),
                cites, str(raw.get("decision") or ""), link.id, line, link.path, depends, fields,
                json.loads(json.dumps(raw, ensure_ascii=False, default=str)))


def load_pack(ref: str, folder: Path | str | None = None, *, catalogue: Catalogue | None = None) -> Pack:
    """One pack by reference; PackError lists the problems if it (or what it extends) is invalid."""
    packs = load_folder(folder, catalogue=catalogue)
    try:
        return packs.get(ref)
    except KeyError:
        if packs.problems:
            raise PackError(packs.problems) from None
        raise


def publish(folder: Path | str, ref: str, *, catalogue: Catalogue | None = None) -> str:
    """Record the content hash of a valid pack marked `status: published`; returns the hash."""
    folder = Path(folder)
    lock = read_lock(folder)
    found = [pf for pf in (read_pack_file(path) for path in sorted(folder.glob("*.yaml")) if path.name != FIELDS_NAME)
             if pf.key == ref]
    if not found:
        raise KeyError(f"no pack file {ref} / 没有此政策包")
    pf = found[0]
    if pf.data.get("status") != "published":
        raise PackError([Problem(pf.path, pf.data.line_of("status"), "status",
                                 "set status: published before publishing / 请先将 status 设为 published")])
    if lock.get(ref) not in (None, pf.hash):
        raise PackError([Problem(pf.path, pf.data.line_of("version"), "version",
                                 f"{ref} is already published with other content; publish a new version / "
                                 f"已发布，不能覆盖，请另立新版本")])
    packs = load_folder(folder, catalogue=catalogue, lock={**lock, ref: pf.hash})
    if ref not in packs.packs:
        raise PackError([p for p in packs.problems if p.file == pf.path] or packs.problems)
    lock[ref] = pf.hash
    (folder / LOCK_NAME).write_text(json.dumps(dict(sorted(lock.items())), indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return pf.hash
