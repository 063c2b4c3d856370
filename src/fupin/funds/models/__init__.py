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
from .credit import CreditDemand, Lender, Loan, LoanRepayment, LoanStatus
from .distribution import DistributionLine, DistributionPlan, LineKind, PlanStatus
from .jobs import JobAttendance, JobFunding, JobPayment, JobStatus, JobType, PublicJob
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
from .pv import (
    HOUSEHOLD_DIRECT,
    LandType,
    PVLineKind,
    PVPlan,
    PVPlanLine,
    PVPlanStatus,
    PVRecipient,
    PVSettlement,
    PVStation,
    RecipientStatus,
    StationFunding,
)
from .workshops import SubsidyKind, Workshop, WorkshopKind, WorkshopStatus, WorkshopSubsidy

__all__ = [
    "CENT", "MONEY", "ZERO", "AppendOnly", "money",
    "LIBRARY_STATUSES", "FundPosting", "PostingKind", "ProgressReport", "Project", "ProjectCategory", "ProjectFund",
    "ProjectMode", "ProjectStatus",
    "OPEN_DISPOSAL", "Acquisition", "Asset", "AssetContract", "AssetDisposal", "AssetFund", "AssetInventory",
    "AssetStatus", "AssetType", "Condition", "ContractKind", "ContractStatus", "DisposalMethod", "DisposalReason",
    "DisposalStatus", "EquityFund", "EquityInvestment", "EquityStatus", "IncomeKind", "IncomeReceipt",
    "InvestmentDirection",
    "DistributionLine", "DistributionPlan", "LineKind", "PlanStatus",
    "HOUSEHOLD_DIRECT", "LandType", "PVLineKind", "PVPlan", "PVPlanLine", "PVPlanStatus", "PVRecipient", "PVSettlement",
    "PVStation", "RecipientStatus", "StationFunding",
    "JobAttendance", "JobFunding", "JobPayment", "JobStatus", "JobType", "PublicJob",
    "CreditDemand", "Lender", "Loan", "LoanRepayment", "LoanStatus",
    "SubsidyKind", "Workshop", "WorkshopKind", "WorkshopStatus", "WorkshopSubsidy",
]
