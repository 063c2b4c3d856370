"""扶贫资金、项目与资产 models, one module per concern, re-exported here."""

from .assets import (
    OPEN_DISPOSAL,
    Acquisition,
    Asset,
    AssetContract,
    AssetDisposal,
    AssetFund,
    AssetInventory,
    AssetStatus,
    AssetType,
    Condition,
    ContractKind,
    ContractStatus,
    DisposalMethod,
    DisposalReason,
    DisposalStatus,
    EquityFund,
    EquityInvestment,
    EquityStatus,
    IncomeKind,
    IncomeReceipt,
    InvestmentDirection,
)
from .common import CENT, MONEY, ZERO, AppendOnly, money
from .distribution import DistributionLine, DistributionPlan, LineKind, PlanStatus
from .projects import (
    LIBRARY_STATUSES,
    FundPosting,
    PostingKind,
    ProgressReport,
    Project,
    ProjectCategory,
    ProjectFund,
    ProjectMode,
    ProjectStatus,
)

__all__ = [
    "CENT", "MONEY", "ZERO", "AppendOnly", "money",
    "LIBRARY_STATUSES", "FundPosting", "PostingKind", "ProgressReport", "Project", "ProjectCategory", "ProjectFund",
    "ProjectMode", "ProjectStatus",
    "OPEN_DISPOSAL", "Acquisition", "Asset", "AssetContract", "AssetDisposal", "AssetFund", "AssetInventory",
    "AssetStatus", "AssetType", "Condition", "ContractKind", "ContractStatus", "DisposalMethod", "DisposalReason",
    "DisposalStatus", "EquityFund", "EquityInvestment", "EquityStatus", "IncomeKind", "IncomeReceipt",
    "InvestmentDirection",
    "DistributionLine", "DistributionPlan", "LineKind", "PlanStatus",
]
