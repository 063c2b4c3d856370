"""家庭收入核算: the income arithmetic of a household, pure and exact (Decimal, yuan, 2 places).

    家庭总收入 = 工资性 + 生产经营性 + 财产性 + 转移性收入
    家庭纯收入 = 家庭总收入 − 生产经营性支出
    人均纯收入 = 家庭纯收入 / 人数
    人均可支配收入 = (家庭纯收入 − 转移性支出) / 人数
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
COMPONENTS = ("wage_income", "business_income", "property_income", "transfer_income")
INPUTS = (*COMPONENTS, "assistance_income", "production_costs", "transfer_expenses")
COMPUTED = ("total_income", "net_income", "per_capita_net_income", "per_capita_disposable_income")


def money(value) -> Decimal:
    return Decimal(value if value not in (None, "") else 0).quantize(CENT, rounding=ROUND_HALF_UP)


def compute_income(values: dict, member_count: int) -> dict[str, Decimal]:
    """The computed income fields from the components in `values` (missing ones count as 0)."""
    parts = {name: money(values.get(name)) for name in INPUTS}
    total = sum((parts[name] for name in COMPONENTS), Decimal("0.00"))
    net = total - parts["production_costs"]
    disposable = net - parts["transfer_expenses"]
    if member_count > 0:
        per_capita = (net / member_count).quantize(CENT, rounding=ROUND_HALF_UP)
        per_capita_disposable = (disposable / member_count).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        per_capita = per_capita_disposable = Decimal("0.00")
    return {"total_income": total, "net_income": net, "per_capita_net_income": per_capita,
            "per_capita_disposable_income": per_capita_disposable}
