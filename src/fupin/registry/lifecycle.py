"""The household lifecycle (动态管理) as a state machine: pure data, no Django.

Each transition names the statuses it leaves from, the status it leads to, whether it needs the
full review (village proposal with 民主评议 → public notice → township review → county approval →
announcement, run by the workflow capability), whether the exit standard of the policy pack in
force must be checked, and the document clause behind it. The service that applies an approved
transition is `registry.services.lifecycle_apply`; the workflow capability calls it once the review
has approved, and it refuses any transition this table does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass

CANDIDATE, REGISTERED, EXPECTED_EXIT, EXITED = "candidate", "registered", "expected_exit", "exited"
RETURNED, REMOVED, NATURAL_DECREASE = "returned", "removed", "natural_decrease"

# Statuses in which a household counts as registered poor (未脱贫 in the documents' totals).
POOR = frozenset({REGISTERED, EXPECTED_EXIT, RETURNED})
# Statuses still in the registry (counted in the yearly file, including the exited: 脱贫不脱政策).
IN_REGISTRY = POOR | {EXITED}


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    review: bool = True  # goes through the full review and public notice
    exit_check: bool = False  # the exit standard (income above the line + 两不愁三保障) must hold
    sets_exit_year: bool = False
    clears_exit_year: bool = False
    source_note: str = ""


TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("identify", "识别纳入（新识别）", frozenset({CANDIDATE}), REGISTERED,
               source_note="群众评议 → 入户调查 → 公示公告 → 抽查检验 → 信息录入; 每季度启动1次贫困户识别程序"),
    Transition("plan_exit", "列入预脱贫", frozenset({REGISTERED, RETURNED}), EXPECTED_EXIT, review=False,
               source_note="今年预脱贫 753 户 1754 人 (Anshan 2020); 2020年全县119名预脱贫人口 (Zhangwu)"),
    Transition("exit", "脱贫退出", frozenset({REGISTERED, EXPECTED_EXIT, RETURNED}), EXITED, exit_check=True,
               sets_exit_year=True,
               source_note="一超过两不愁三保障加安全饮水; 村两委评议 → 核实 → 户认可 → 公示 → 公告 → 销号"),
    Transition("return", "返贫", frozenset({EXITED}), RETURNED,
               source_note="做返贫处理，重新纳入扶持范围 (Benxi)"),
    Transition("remove", "销号（清退错登）", frozenset({CANDIDATE, REGISTERED, EXPECTED_EXIT, RETURNED, EXITED}),
               REMOVED, source_note="两该两不该: 不该进的进入 = 错登, removed after re-verification"),
    Transition("natural_decrease", "自然减少（死亡、迁出）", frozenset({REGISTERED, EXPECTED_EXIT, RETURNED, EXITED}),
               NATURAL_DECREASE, review=False, source_note="whole household deceased or moved away"),
    Transition("correct_wrong_exit", "纠正错退", frozenset({EXITED}), REGISTERED, clears_exit_year=True,
               source_note="两该两不该: 不该出的退出 = 错退"),
    Transition("reinstate", "恢复（纠正错误销号或减少）", frozenset({REMOVED, NATURAL_DECREASE}), REGISTERED,
               source_note="correction of a removal or decrease entered in error"),
)}


def allowed_from(status: str) -> list[Transition]:
    """The transitions open to a household in `status`, in table order."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


def transition_problem(status: str, name: str) -> str | None:
    """Why `name` cannot be applied from `status` (in Chinese), or None when it can."""
    t = TRANSITIONS.get(name)
    if t is None:
        return f"未知的状态变更“{name}”"
    if status not in t.sources:
        return f"当前状态不允许“{t.label}”"
    return None
