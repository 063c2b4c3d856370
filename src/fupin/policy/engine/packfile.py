"""Reading one pack file: its structure, its parameters, its citations — every problem with file and line.

The format is described in docs/policy.md. This module checks what can be checked in one file alone;
`packs.py` resolves inheritance and binds the rules.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import values as v
from .catalogue import BOOL, DATE, FIELD_TYPES, HOUSEHOLD, NUMBER, PERSON, TEXT, FieldDef
from .check import LIST_NUMBER, LIST_TEXT, TABLE
from .errors import Problem
from .model import Cite, Parameter
from .yamlmarks import Located, LocatedList, YamlError, load

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
SEEDS = {
    "000": "000_053db9d62dfd1711.txt",
    "001": "001_691fe32ec257c7d4.txt",
    "002": "002_608217856fafa471.txt",
    "003": "003_c2d774f8fee53390.txt",
    "004": "004_cbca9fd88ffe3713.txt",
}
PACK_KEYS = {"id", "version", "title", "jurisdiction", "jurisdiction_name", "year", "years", "status", "extends",
             "inputs", "parameters", "rules", "note"}
PARAM_KEYS = {"title", "type", "value", "unit", "cite", "choices", "of", "decision", "note"}
RULE_KEYS = {"id", "title", "kind", "when", "all", "any", "amount", "cases", "otherwise", "cite", "requires",
             "unit", "decision", "note"}
CLAUSE_KEYS = {"id", "title", "when", "cite", "note", "value"}
PARAM_TYPES = {"money": NUMBER, "number": NUMBER, "integer": NUMBER, "rate": NUMBER, "bool": BOOL, "text": TEXT,
               "choice": TEXT, "date": DATE, "list": None, "table": TABLE}
RULE_KINDS = ("flag", "amount", "classify")
SIGNIFICANT = (2, 4, 6, 9, 12)


def significant_prefix(code: str) -> str:
    for length in SIGNIFICANT:
        if set(code[length:]) <= {"0"}:
            return code[:length]
    return code


def content_hash(data) -> str:
    """sha256 of the document's content (keys sorted; comments and layout do not count)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class PackFile:
    """One file, checked on its own."""

    path: str
    data: Located
    id: str = ""
    version: int = 0
    extends: str | None = None
    extends_line: int = 0
    parameters: dict[str, Parameter] = field(default_factory=dict)
    inputs: list[FieldDef] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # parameters that failed to load
    hash: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def problem(self, line: int | None, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, where, message))


def _suggest(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=2, cutoff=0.6)
    return f"; did you mean {', '.join(close)} / 是否想写 {', '.join(close)}" if close else ""


def unknown_keys(pf: PackFile, mapping: Located, allowed: set[str], where: str) -> None:
    for key in mapping:
        if key not in allowed:
            pf.problem(mapping.line_of(key), f"{where}.{key}" if where else str(key),
                       f"unknown key / 未知的键{_suggest(str(key), allowed)}")


def read_cites(pf: PackFile, holder: Located, where: str, *, required: bool) -> list[Cite]:
    raw = holder.get("cite")
    line = holder.line_of("cite")
    if raw is None:
        if required:
            pf.problem(holder.line, where, "missing citation: add cite: {seed, quote} / 缺少出处引文")
        return []
    items = raw if isinstance(raw, list) else [raw]
    cites = []
    for i, item in enumerate(items):
        spot = f"{where}.cite" + (f"[{i}]" if isinstance(raw, list) else "")
        item_line = raw.line_of(i) if isinstance(raw, LocatedList) else line
        if not isinstance(item, dict):
            pf.problem(item_line, spot, "a citation is {seed: '000', quote: '...'} / 引文格式应为 {seed, quote}")
            continue
        seed, quote = item.get("seed"), item.get("quote")
        if str(seed) not in SEEDS:
            pf.problem(item_line, f"{spot}.seed", f"unknown seed {seed!r}; one of {', '.join(SEEDS)} / 未知的来源文件")
            continue
        if not isinstance(quote, str) or len(quote.strip()) < 4:
            pf.problem(item_line, f"{spot}.quote", "missing quote (at least 4 characters of one line) / 缺少引文")
            continue
        if "\n" in quote:
            pf.problem(item_line, f"{spot}.quote", "a quote must come from one line / 引文须在同一行内")
            continue
        cites.append(Cite(str(seed), quote, str(item.get("note") or "")))
    if required and not cites and not pf.problems:
        pf.problem(line, where, "missing citation / 缺少出处引文")
    return cites


def typed_value(ptype: str, value, of: str | None):
    """(value, None) when `value` fits the parameter type, else (None, reason)."""
    is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
    if ptype in ("money", "number", "rate", "integer"):
        if not is_num:
            return None, f"expected a number ({ptype}), got {value!r} / 应为数值"
        if ptype == "integer" and not float(value).is_integer():
            return None, f"expected a whole number, got {value!r} / 应为整数"
        if ptype == "money" and value < 0:
            return None, f"an amount cannot be negative: {value!r} / 金额不能为负"
        if ptype == "rate" and not 0 <= value <= 1:
            return None, f"a rate is between 0 and 1, got {value!r} / 比率应在0到1之间"
        if abs(value) >= v.LIMIT:
            return None, "too large (limit 10^9) / 数值过大"
        return v.number(value), None
    if ptype == "bool":
        return (value, None) if isinstance(value, bool) else (None, f"expected true/false, got {value!r} / 应为是否")
    if ptype in ("text", "choice"):
        return (value, None) if isinstance(value, str) else (None, f"expected text, got {value!r} / 应为文本")
    if ptype == "date":
        if isinstance(value, dt.date):
            return value, None
        try:
            return v.to_date(value), None
        except (ValueError, TypeError):
            return None, f"expected a date YYYY-MM-DD, got {value!r} / 应为日期"
    if ptype == "list":
        if not isinstance(value, list) or not value:
            return None, "expected a non-empty list / 应为非空列表"
        if of == "number":
            if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
                return None, "every item must be a number / 列表项应为数值"
            return tuple(v.number(x) for x in value), None
        if not all(isinstance(x, str) for x in value):
            return None, "every item must be text (quote codes like '02') / 列表项应为文本（代码请加引号）"
        return tuple(value), None
    if ptype == "table":
        if not isinstance(value, dict) or not value:
            return None, "expected a mapping code: number / 应为对照表"
        out = {}
        for key, number in value.items():
            if not isinstance(number, (int, float)) or isinstance(number, bool):
                return None, f"entry {key!r}: expected a number, got {number!r} / 对照表的值应为数值"
            out[str(key)] = v.number(number)
        return out, None
    return None, f"unknown type {ptype!r}"


def expression_type(param: Parameter) -> str:
    if param.type == "list":
        return LIST_NUMBER if all(isinstance(x, float) for x in param.value) else LIST_TEXT
    return PARAM_TYPES[param.type]


def read_parameter(pf: PackFile, name, raw, line: int) -> Parameter | None:
    where = f"parameters.{name}"
    if not isinstance(name, str) or not NAME_RE.match(name):
        pf.problem(line, where, "a parameter name is lower_case_with_underscores / 参数名格式不对")
        return None
    if not isinstance(raw, Located):
        pf.problem(line, where, "a parameter is a mapping with type, value, cite / 参数应包含 type、value、cite")
        return None
    raw.line = line  # report the parameter at its name
    unknown_keys(pf, raw, PARAM_KEYS, where)
    ptype = raw.get("type")
    if ptype not in PARAM_TYPES:
        pf.problem(raw.line_of("type"), f"{where}.type",
                   f"unknown type {ptype!r}; one of {', '.join(PARAM_TYPES)} / 未知的参数类型")
        return None
    if "value" not in raw:
        pf.problem(raw.line, f"{where}.value", "missing value / 缺少取值")
        return None
    of = raw.get("of", "text")
    value, reason = typed_value(ptype, raw["value"], of)
    if reason:
        pf.problem(raw.line_of("value"), f"{where}.value", reason)
        return None
    choices = ()
    if ptype == "choice":
        choices = tuple(raw.get("choices") or ())
        if not choices or value not in choices:
            pf.problem(raw.line_of("value"), f"{where}.value",
                       f"{value!r} is not one of the choices {list(choices)} / 取值不在可选项中")
            return None
    cites = read_cites(pf, raw, where, required=True)
    return Parameter(name, ptype, value, str(raw.get("title") or ""), str(raw.get("unit") or ""), cites, choices,
                     str(raw.get("decision") or ""), str(raw.get("note") or ""), "", line, pf.path)


def read_inputs(pf: PackFile, raw, line: int) -> list[FieldDef]:
    return read_field_defs(raw, line, pf.problem, origin=f"pack {pf.id}", where="inputs")


def read_field_defs(raw, line, report, *, origin: str, where: str) -> list[FieldDef]:
    """Field definitions {household: {name: {type, label, codes}}, person: {...}} (pack inputs, fields.yaml)."""
    defs: list[FieldDef] = []
    if not isinstance(raw, Located):
        report(line, where, "expected household: and person: mappings / 应为 household 与 person 两组字段")
        return defs
    for entity, group in raw.items():
        if entity not in (HOUSEHOLD, PERSON):
            report(raw.line_of(entity), f"{where}.{entity}", "only household and person / 只能是 household 或 person")
            continue
        if not isinstance(group, Located):
            report(raw.line_of(entity), f"{where}.{entity}", "expected a mapping of fields / 应为字段映射")
            continue
        for name, spec in group.items():
            spot, at = f"{where}.{entity}.{name}", group.line_of(name)
            if not isinstance(name, str) or not NAME_RE.match(name):
                report(at, spot, "a field name is lower_case_with_underscores / 字段名格式不对")
                continue
            if not isinstance(spec, Located) or spec.get("type") not in FIELD_TYPES:
                report(at, spot, f"needs type: one of {', '.join(sorted(FIELD_TYPES))} / 缺少或未知的字段类型")
                continue
            codes = spec.get("codes")
            if codes is not None and not isinstance(codes, dict):
                report(spec.line_of("codes"), f"{spot}.codes", "codes is a mapping code: label / 代码表格式不对")
                continue
            defs.append(FieldDef(entity, name, spec["type"], str(spec.get("label") or ""),
                                 {str(k): str(x) for k, x in codes.items()} if codes else None, origin))
    return defs


def read_pack_file(path: Path | str, text: str | None = None, *, name: str | None = None) -> PackFile:
    """Parse and check one file alone. `name` is how the file is named in messages."""
    path = Path(path)
    shown = name or path.name
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except OSError as exc:
        pf = PackFile(shown, Located())
        pf.problem(None, "", f"cannot read the file / 无法读取: {exc.strerror}")
        return pf
    try:
        data = load(text)
    except YamlError as exc:
        pf = PackFile(shown, Located())
        pf.problem(exc.line, "", exc.message)
        return pf
    pf = PackFile(shown, data if isinstance(data, Located) else Located())
    if not isinstance(data, Located):
        pf.problem(1, "", "a pack file is a YAML mapping / 政策包文件应为YAML映射")
        return pf
    pf.hash = content_hash(data)
    unknown_keys(pf, data, PACK_KEYS, "")
    pid = data.get("id")
    if not isinstance(pid, str) or not ID_RE.match(pid):
        pf.problem(data.line_of("id"), "id", "id is lower-case letters, digits and '-' / 编号格式不对，如 zhangwu-2020")
    else:
        pf.id = pid
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        pf.problem(data.line_of("version"), "version", f"version is a whole number ≥ 1, got {version!r} / 版本号应为正整数")
    else:
        pf.version = version
    juris = data.get("jurisdiction")
    if not isinstance(juris, str) or not juris.isdigit() or len(juris) not in SIGNIFICANT:
        pf.problem(data.line_of("jurisdiction"), "jurisdiction",
                   "jurisdiction is an area code in quotes, e.g. '210922' / 行政区划代码须加引号")
    years = data.get("years", [data.get("year")] * 2 if "year" in data else None)
    if (not isinstance(years, list) or len(years) != 2 or not all(isinstance(y, int) and 1990 < y < 2100 for y in years)
            or years[0] > years[1]):
        pf.problem(data.line_of("years" if "years" in data else "year"), "year",
                   "give year: 2020 or years: [2018, 2020] / 年度格式不对")
    if data.get("status", "draft") not in ("draft", "published"):
        pf.problem(data.line_of("status"), "status", "status is draft or published / 状态应为 draft 或 published")
    if "extends" in data:
        ext = data["extends"]
        if not isinstance(ext, str) or not re.match(r"^[a-z0-9][a-z0-9-]*@[1-9][0-9]*$", ext):
            pf.problem(data.line_of("extends"), "extends", "extends names a pack as id@version / 继承须写成 编号@版本")
        else:
            pf.extends, pf.extends_line = ext, data.line_of("extends")
    if "inputs" in data:
        pf.inputs = read_inputs(pf, data["inputs"], data.line_of("inputs"))
    params = data.get("parameters") or Located()
    if not isinstance(params, Located):
        pf.problem(data.line_of("parameters"), "parameters", "parameters is a mapping / 参数应为映射")
        params = Located()
    for pname, raw in params.items():
        param = read_parameter(pf, pname, raw, params.line_of(pname))
        if param is None:
            pf.broken.add(str(pname))
        else:
            param.origin = pf.id
            pf.parameters[pname] = param
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        pf.problem(data.line_of("rules"), "rules", "rules is a list / 规则应为列表")
    return pf
