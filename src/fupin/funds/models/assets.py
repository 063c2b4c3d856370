"""扶贫资产: the asset registry, operation contracts, equity investments (资金入股), income receipts,
annual inventories and disposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.areas.models import Area

from .common import MONEY, AppendOnly
from .projects import Project


class AssetType(models.TextChoices):
    """资产类型"""

    OPERATING = "operating", "经营类"
    PUBLIC = "public", "公共设施类"


class Acquisition(models.TextChoices):
    """购买、自建、维修"""

    PURCHASE = "purchase", "购买"
    SELF_BUILT = "self_built", "自建"
    REPAIR = "repair", "维修"


class Condition(models.TextChoices):
    """现使用状况 (the forms list 好、较好、良好、较差 in this order)"""

    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    SOUND = "sound", "良好"
    POOR = "poor", "较差"


class AssetStatus(models.TextChoices):
    """资产状态: 登记 → 确权 → (处置中 → 已处置核销)"""

    REGISTERED = "registered", "已登记"
    CONFIRMED = "confirmed", "已确权"
    DISPOSING = "disposing", "处置中"
    DISPOSED = "disposed", "已处置核销"


class Asset(models.Model):
    """扶贫资产: a fixed asset formed by poverty funds, owned by a township or a village (明确产权)."""

    code = models.CharField("资产编号", max_length=30, unique=True)
    name = models.CharField("资产名称", max_length=100)
    asset_type = models.CharField("资产类型", max_length=20, choices=AssetType.choices)
    subtype = models.CharField("子类型", max_length=30)
    area = models.ForeignKey(Area, verbose_name="产权归属（镇/村）", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name="形成资产的项目", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="assets")
    scale = models.DecimalField("规模", max_digits=12, decimal_places=2, null=True, blank=True)
    scale_unit = models.CharField("规模单位", max_length=10, blank=True)
    acquisition = models.CharField("购买、自建、维修", max_length=20, choices=Acquisition.choices)
    acquired_on = models.DateField("购建时间")
    funded_year = models.PositiveSmallIntegerField("资金投入年度")
    useful_life_years = models.PositiveSmallIntegerField("预计使用年限")
    condition = models.CharField("现使用状况", max_length=20, choices=Condition.choices)
    original_value = models.DecimalField("原始价值（元）", **MONEY)
    custodian = models.CharField("管护主体", max_length=100)
    custodian_person = models.CharField("管护责任人", max_length=50, blank=True)
    user_party = models.CharField("使用权人", max_length=100, blank=True)
    beneficiary_party = models.CharField("收益权人", max_length=100, blank=True)
    status = models.CharField("资产状态", max_length=20, choices=AssetStatus.choices, default=AssetStatus.REGISTERED,
                              db_index=True)
    confirmed_on = models.DateField("确权日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "扶贫资产"
        verbose_name_plural = "扶贫资产"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(original_value__gt=0), name="asset_value_positive"),
            models.CheckConstraint(condition=Q(useful_life_years__gte=1) & Q(useful_life_years__lte=100),
                                   name="asset_life_range"),
            models.CheckConstraint(condition=Q(funded_year__gte=2000) & Q(funded_year__lte=2100),
                                   name="asset_funded_year_range"),
            models.CheckConstraint(condition=Q(scale__isnull=True) | Q(scale__gt=0), name="asset_scale_positive"),
            models.CheckConstraint(condition=Q(status=AssetStatus.REGISTERED) | Q(confirmed_on__isnull=False),
                                   name="asset_confirmed_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssetFund(models.Model):
    """资产资金来源构成: the amount of one fund source in an asset's original value."""

    asset = models.ForeignKey(Asset, verbose_name="资产", on_delete=models.CASCADE, related_name="funds")
    source = models.CharField("资金类型", max_length=30)
    amount = models.DecimalField("金额（元）", **MONEY)

    class Meta:
        verbose_name = "资产资金来源"
        verbose_name_plural = "资产资金来源"
        ordering = ["asset", "id"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "source"], name="assetfund_one_row_per_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="assetfund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.amount}"


class ContractKind(models.TextChoices):
    """经营方式"""

    LEASE = "lease", "租赁"
    CONTRACT = "contract", "承包"
    OPERATION = "operation", "委托经营"


class ContractStatus(models.TextChoices):
    PROPOSED = "proposed", "待备案"
    ACTIVE = "active", "履行中"
    ENDED = "ended", "已终止"


class AssetContract(models.Model):
    """经营合同: the owner's lease, contracting or operation agreement with an operator (经营主体).

    Choosing or changing the operator needs the village's democratic decision (民主决策) and the
    township's review and filing (乡镇审核备案); a township-owned (cross-village) asset is also filed
    with the county (县级备案). Only one contract of an asset is in force at a time."""

    asset = models.ForeignKey(Asset, verbose_name="资产", on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField("经营方式", max_length=20, choices=ContractKind.choices)
    counterparty = models.CharField("承租/经营单位（人员）名称", max_length=100)
    term_years = models.PositiveSmallIntegerField("合约年限")
    starts_on = models.DateField("合约起始日期")
    ends_on = models.DateField("合约终止日期")
    annual_amount = models.DecimalField("年租金/承包费（元）", **MONEY)
    first_due_on = models.DateField("首次收取日期")
    decided_on = models.DateField("民主决策日期")
    township_filed_on = models.DateField("乡镇审核备案日期", null=True, blank=True)
    county_filed_on = models.DateField("县级备案日期", null=True, blank=True)
    status = models.CharField("合同状态", max_length=20, choices=ContractStatus.choices, default=ContractStatus.PROPOSED)
    replaces = models.ForeignKey("self", verbose_name="替换的合同（变更经营主体）", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "资产经营合同"
        verbose_name_plural = "资产经营合同"
        ordering = ["asset", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["asset"], condition=Q(status=ContractStatus.ACTIVE),
                                    name="contract_one_active_per_asset"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="contract_period_valid"),
            models.CheckConstraint(condition=Q(term_years__gte=1), name="contract_term_positive"),
            models.CheckConstraint(condition=Q(annual_amount__gte=0), name="contract_amount_nonnegative"),
            models.CheckConstraint(condition=Q(first_due_on__gte=F("starts_on")) & Q(first_due_on__lte=F("ends_on")),
                                   name="contract_first_due_in_period"),
            models.CheckConstraint(condition=~Q(status=ContractStatus.ACTIVE) | Q(township_filed_on__isnull=False),
                                   name="contract_active_is_filed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.counterparty}"


class InvestmentDirection(models.TextChoices):
    """投资方向"""

    ENTERPRISE = "enterprise", "企业"
    COOPERATIVE = "cooperative", "合作社"
    LARGE_HOUSEHOLD = "large_household", "大户"
    LEADER = "leader", "致富带头人"
    OTHER = "other", "其他"


class EquityStatus(models.TextChoices):
    ACTIVE = "active", "合作中"
    ENDED = "ended", "已退出"


class EquityInvestment(models.Model):
    """资金入股: poverty funds invested as equity in an enterprise or cooperative, owned by a township or
    a village (资金所有权), with the contract period and the agreed yearly dividend."""

    code = models.CharField("入股编号", max_length=30, unique=True)
    area = models.ForeignKey(Area, verbose_name="资金所有权（镇/村）", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name="相关项目", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="equity_investments")
    year = models.PositiveSmallIntegerField("资金入股年度")
    investee = models.CharField("入股企业或合作社名称", max_length=100)
    direction = models.CharField("投资方向", max_length=20, choices=InvestmentDirection.choices)
    business = models.CharField("经营项目", max_length=100)
    amount = models.DecimalField("资金入股额度（元）", **MONEY)
    term_years = models.PositiveSmallIntegerField("入股合作期限（年）")
    starts_on = models.DateField("合同起始日期")
    ends_on = models.DateField("合同终止日期")
    annual_dividend = models.DecimalField("年分红金额（元）", **MONEY)
    first_due_on = models.DateField("首次分红日期")
    decided_on = models.DateField("民主决策日期")
    township_filed_on = models.DateField("乡镇审核备案日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=EquityStatus.choices, default=EquityStatus.ACTIVE)
    ended_on = models.DateField("退出日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "扶贫资金入股"
        verbose_name_plural = "扶贫资金入股"
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="equity_amount_positive"),
            models.CheckConstraint(condition=Q(annual_dividend__gte=0), name="equity_dividend_nonnegative"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="equity_period_valid"),
            models.CheckConstraint(condition=Q(term_years__gte=1), name="equity_term_positive"),
            models.CheckConstraint(condition=Q(first_due_on__gte=F("starts_on")) & Q(first_due_on__lte=F("ends_on")),
                                   name="equity_first_due_in_period"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="equity_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.investee}"


class EquityFund(models.Model):
    """入股资金来源构成"""

    equity = models.ForeignKey(EquityInvestment, verbose_name="资金入股", on_delete=models.CASCADE, related_name="funds")
    source = models.CharField("资金类型", max_length=30)
    amount = models.DecimalField("金额（元）", **MONEY)

    class Meta:
        verbose_name = "入股资金来源"
        verbose_name_plural = "入股资金来源"
        ordering = ["equity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["equity", "source"], name="equityfund_one_row_per_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="equityfund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.amount}"


class IncomeKind(models.TextChoices):
    RENT = "rent", "租金/承包费"
    DIVIDEND = "dividend", "分红"


class IncomeReceipt(AppendOnly):
    """收益到账: rent from a contract or a dividend from an equity investment, for one year (append-only;
    a correction is a reversing entry)."""

    kind = models.CharField("收益类别", max_length=20, choices=IncomeKind.choices)
    contract = models.ForeignKey(AssetContract, verbose_name="经营合同", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="receipts")
    equity = models.ForeignKey(EquityInvestment, verbose_name="资金入股", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="receipts")
    area = models.ForeignKey(Area, verbose_name="收益权人（镇/村）", on_delete=models.PROTECT, related_name="+")
    period_year = models.PositiveSmallIntegerField("所属年度")
    amount = models.DecimalField("金额（元）", **MONEY)
    received_on = models.DateField("到账日期")
    reference = models.CharField("凭证号", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversal")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "资产收益到账"
        verbose_name_plural = "资产收益到账"
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=IncomeKind.RENT) & Q(contract__isnull=False) & Q(equity__isnull=True))
                | (Q(kind=IncomeKind.DIVIDEND) & Q(equity__isnull=False) & Q(contract__isnull=True)),
                name="receipt_one_origin"),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0)) | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="receipt_sign_matches_reversal"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_year} {self.amount}"


class AssetInventory(models.Model):
    """年度清查: at the start of each year the owner checks the previous year's assets (账实相符) and
    settles that year's income; the net value after that year's depreciation is booked."""

    asset = models.ForeignKey(Asset, verbose_name="资产", on_delete=models.PROTECT, related_name="inventories")
    year = models.PositiveSmallIntegerField("清查年度")
    checked_on = models.DateField("清查日期")
    condition = models.CharField("现使用状况", max_length=20, choices=Condition.choices)
    matches_books = models.BooleanField("账实相符")
    net_value = models.DecimalField("年末净值（元）", **MONEY)
    income = models.DecimalField("年度收益（元）", **MONEY)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="清查人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "资产年度清查"
        verbose_name_plural = "资产年度清查"
        ordering = ["asset", "year"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "year"], name="inventory_one_per_asset_year"),
            models.CheckConstraint(condition=Q(net_value__gte=0), name="inventory_net_value_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度清查"


class DisposalReason(models.TextChoices):
    DISASTER = "disaster", "自然灾害"
    PLANNING = "planning", "发展规划"
    UNUSABLE = "unusable", "无法使用"
    END_OF_LIFE = "end_of_life", "达到使用年限"


class DisposalMethod(models.TextChoices):
    AUCTION = "auction", "拍卖"
    TRANSFER = "transfer", "转让"
    SCRAP = "scrap", "报废"


class DisposalStatus(models.TextChoices):
    REQUESTED = "requested", "已申请"
    VALUED = "valued", "已评估公开"
    APPROVED = "approved", "县级已批准"
    COMPLETED = "completed", "已处置核销"
    REJECTED = "rejected", "未批准"


OPEN_DISPOSAL = (DisposalStatus.REQUESTED, DisposalStatus.VALUED, DisposalStatus.APPROVED)


class AssetDisposal(models.Model):
    """资产处置: independent valuation (published) → county approval and filing → auction, transfer or
    scrapping → write-off (核销) recorded in the write-off ledger (核销登记台账)."""

    asset = models.ForeignKey(Asset, verbose_name="资产", on_delete=models.PROTECT, related_name="disposals")
    reason = models.CharField("处置原因", max_length=20, choices=DisposalReason.choices)
    requested_on = models.DateField("申请日期")
    valuer = models.CharField("评估机构", max_length=100, blank=True)
    valuation = models.DecimalField("评估价值（元）", null=True, blank=True, **MONEY)
    valued_on = models.DateField("评估日期", null=True, blank=True)
    valuation_published_on = models.DateField("评估结果公开日期", null=True, blank=True)
    approved_on = models.DateField("县级批准日期", null=True, blank=True)
    method = models.CharField("处置方式", max_length=20, choices=DisposalMethod.choices, blank=True)
    proceeds = models.DecimalField("处置收入（元）", null=True, blank=True, **MONEY)
    completed_on = models.DateField("处置日期", null=True, blank=True)
    written_off_on = models.DateField("核销日期", null=True, blank=True)
    status = models.CharField("处置状态", max_length=20, choices=DisposalStatus.choices,
                              default=DisposalStatus.REQUESTED)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "资产处置"
        verbose_name_plural = "资产处置"
        ordering = ["asset", "requested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["asset"], condition=Q(status__in=OPEN_DISPOSAL),
                                    name="disposal_one_open_per_asset"),
            models.CheckConstraint(condition=Q(valuation__isnull=True) | Q(valuation__gte=0),
                                   name="disposal_valuation_nonnegative"),
            models.CheckConstraint(condition=Q(proceeds__isnull=True) | Q(proceeds__gte=0),
                                   name="disposal_proceeds_nonnegative"),
            models.CheckConstraint(
                condition=~Q(status__in=[DisposalStatus.APPROVED, DisposalStatus.COMPLETED])
                | (Q(valuation__isnull=False) & Q(valuation_published_on__isnull=False) & Q(approved_on__isnull=False)),
                name="disposal_approved_after_published_valuation"),
            models.CheckConstraint(
                condition=~Q(status=DisposalStatus.COMPLETED)
                | (Q(completed_on__isnull=False) & Q(written_off_on__isnull=False) & ~Q(method="")),
                name="disposal_completed_is_written_off"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.get_status_display()}"
