"""Options: the documents' ambiguities as named choices, and values in a scheme that depend on them."""

from __future__ import annotations

from decimal import InvalidOperation

from .checker import Checker, suggest
from .errors import InputError, Problem
from .model import Option
from .numbers import ONE, D, fmt

OPTION_KEYS = {"title", "type", "default", "choices", "min", "max", "decision", "note"}
REF_KEYS = {"option", "values", "scale", "complement"}


def read_options(raw: dict, check: Checker) -> dict[str, Option]:
    table = raw.get("options", {})
    if not isinstance(table, dict):
        check.add("options", "应为一张表：[options.名称]")
        return {}
    out: dict[str, Option] = {}
    for name, spec in table.items():
        where = f"options.{name}"
        if not check.keys(spec, OPTION_KEYS, where):
            continue
        kind = spec.get("type", "choice")
        title = check.text(spec, "title", where)
        decision = check.text(spec, "decision", where, required=False)
        note = check.text(spec, "note", where, required=False)
        if kind == "choice":
            choices = spec.get("choices")
            if not isinstance(choices, dict) or len(choices) < 2:
                check.add(f"{where}.choices", "选项至少要有两个取值：{取值 = \"说明\"}")
                continue
            default = spec.get("default")
            if default not in choices:
                check.add(f"{where}.default", f"默认值“{default}”不在取值 {'、'.join(choices)} 中")
                continue
            out[name] = Option(name, title, "choice", default, {str(k): str(v) for k, v in choices.items()},
                               decision=decision, note=note)
        elif kind == "number":
            low = check.number(spec, "min", where)
            high = check.number(spec, "max", where)
            default = check.number(spec, "default", where)
            if None in (low, high, default):
                continue
            if not low <= default <= high:
                check.add(f"{where}.default", f"默认值 {fmt(default)} 不在 {fmt(low)}–{fmt(high)} 之间")
                continue
            out[name] = Option(name, title, "number", default, minimum=low, maximum=high, decision=decision,
                               note=note)
        else:
            check.add(f"{where}.type", f"选项类型应为 choice 或 number，实为 {kind!r}")
    return out


def choose_options(options: dict[str, Option], given: dict | None, *, where: str = "options") -> dict[str, object]:
    """The chosen value of every option: the defaults overridden by `given` (checked)."""
    chosen = {name: opt.default for name, opt in options.items()}
    problems = []
    for name, value in (given or {}).items():
        opt = options.get(name)
        if opt is None:
            known = "、".join(options) or "（无）"
            problems.append(Problem(f"{where}.{name}", f"未知的选项{suggest(name, options)}；本方案的选项：{known}"))
            continue
        if opt.type == "choice":
            if str(value) not in opt.choices:
                problems.append(Problem(f"{where}.{name}",
                                        f"取值“{value}”无效，应为 {'、'.join(opt.choices)} 之一"))
                continue
            chosen[name] = str(value)
        else:
            try:
                number = D(value)
            except (InvalidOperation, TypeError, ValueError):
                problems.append(Problem(f"{where}.{name}", f"应为数值，实为 {value!r}"))
                continue
            if not opt.minimum <= number <= opt.maximum:
                problems.append(Problem(f"{where}.{name}",
                                        f"应在 {fmt(opt.minimum)}–{fmt(opt.maximum)} 之间，实为 {fmt(number)}"))
                continue
            chosen[name] = number
    if problems:
        raise InputError(problems)
    return chosen


def _is_ref(value) -> bool:
    return isinstance(value, dict) and "option" in value and set(value) <= REF_KEYS


def resolve(value, options: dict[str, Option], chosen: dict, check: Checker, where: str):
    if _is_ref(value):
        name = value["option"]
        opt = options.get(name)
        if opt is None:
            check.add(where, f"引用了未定义的选项“{name}”{suggest(name, options)}")
            return None
        picked = chosen[name]
        if "values" in value:
            mapping = value["values"]
            if opt.type != "choice" or not isinstance(mapping, dict):
                check.add(where, "values 只能用于取值型（choice）选项，并应为 {取值 = 结果}")
                return None
            missing = [c for c in opt.choices if c not in mapping]
            extra = [k for k in mapping if k not in opt.choices]
            if missing or extra:
                check.add(where, f"values 应恰好覆盖选项“{name}”的取值（缺 {missing}，多 {extra}）")
                return None
            return resolve(mapping[picked], options, chosen, check, where)
        if "scale" in value:
            if opt.type != "number":
                check.add(where, "scale 只能用于数值型（number）选项")
                return None
            share = (ONE - picked) if value.get("complement") else picked
            return share * D(value["scale"])
        return picked
    if isinstance(value, dict):
        return {k: resolve(v, options, chosen, check, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, options, chosen, check, f"{where}[{i}]") for i, v in enumerate(value)]
    return value
