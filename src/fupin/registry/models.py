"""建档立卡: registered households and persons, kept per year, and the code lists they use.

Field names and labels follow `registry/schema.py` (the catalogue the importer, the exporter and the
policy engine share). Code-valued fields hold codes of versioned dictionaries (`DictionaryEntry`),
checked by `registry/validation.py`, not database enums: the lists grow and change labels over the
years. Statuses are TextChoices; their transitions are the table in `registry/lifecycle.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area
from fupin.registry import schema


class Dictionary(models.Model):
    """数据字典: one code list (致贫原因, 健康状况, ...), with where it comes from."""

    name = models.CharField("字典标识", max_length=40, unique=True)
    title = models.CharField("字典名称", max_length=50)
    source = models.CharField("来源", max_length=300, blank=True)

    class Meta:
        verbose_name = "数据字典"
        verbose_name_plural = "数据字典"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title


class DictionaryEntry(models.Model):
    """字典项: a code and its label, valid from one date until (not including) another."""

    dictionary = models.ForeignKey(Dictionary, verbose_name="数据字典", on_delete=models.CASCADE,
                                   related_name="entries")
    code = models.CharField("代码", max_length=20)
    label = models.CharField("名称", max_length=100)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "字典项"
        verbose_name_plural = "字典项"
        ordering = ["dictionary", "sort_order", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["dictionary", "code", "valid_from"], name="dictentry_code_from_unique"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                                   name="dictentry_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class RegistryYear(models.Model):
    """年度: the registry of one county for one year. A frozen year (封存) refuses every write, so
    reports for it can be reproduced exactly later."""

    county = models.ForeignKey(Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    frozen = models.BooleanField("已封存", default=False)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="封存人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    frozen_at = models.DateTimeField("封存时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "建档立卡年度"
        verbose_name_plural = "建档立卡年度"
        ordering = ["-year", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="registryyear_county_year_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="registryyear_year_range"),
            models.CheckConstraint(condition=Q(frozen=False) | Q(frozen_at__isnull=False),
                                   name="registryyear_frozen_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self.year}"


class HouseholdStatus(models.TextChoices):
    """户状态 (lifecycle). The transitions between them are the table in registry/lifecycle.py."""

    CANDIDATE = "candidate", "拟纳入"
    REGISTERED = "registered", "未脱贫"
    EXPECTED_EXIT = "expected_exit", "预脱贫"
    EXITED = "exited", "已脱贫"
    RETURNED = "returned", "返贫"
    REMOVED = "removed", "销号"
    NATURAL_DECREASE = "natural_decrease", "自然减少"


class PersonStatus(models.TextChoices):
    """人员状态"""

    ACTIVE = "active", "在户"
    DECEASED = "deceased", "死亡"
    MOVED_OUT = "moved_out", "迁出"
    REMOVED = "removed", "错误纠正移除"


_MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}


class Household(models.Model):
    """建档立卡户: one household's record for one year (一户一档)."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    household_number = models.CharField("户编号", max_length=30)
    village = models.ForeignKey(Area, verbose_name="行政村", on_delete=models.PROTECT, related_name="+")
    natural_village = models.CharField("自然村", max_length=50, blank=True)
    member_count = models.PositiveSmallIntegerField("人数", default=0)
    address = models.CharField("家庭住址", max_length=200, blank=True)
    phone = models.CharField("户联系电话", max_length=20, blank=True)

    identification_standard = models.CharField("识别标准", max_length=20, blank=True)
    poverty_attribute = models.CharField("贫困户属性", max_length=20, blank=True, db_index=True)
    main_cause = models.CharField("主要致贫原因", max_length=20, blank=True, db_index=True)
    other_causes = models.JSONField("其他致贫原因", default=list, blank=True)
    first_identified_on = models.DateField("首次识别时间", null=True, blank=True)
    status = models.CharField("户状态", max_length=20, choices=HouseholdStatus.choices,
                              default=HouseholdStatus.CANDIDATE, db_index=True)
    exit_year = models.PositiveSmallIntegerField("脱贫年度", null=True, blank=True)
    military_family = models.BooleanField("是否军烈属户", null=True, blank=True)

    food_secure = models.BooleanField("不愁吃", null=True, blank=True)
    clothing_secure = models.BooleanField("不愁穿", null=True, blank=True)
    compulsory_education_secured = models.BooleanField("义务教育有保障", null=True, blank=True)
    basic_medical_secured = models.BooleanField("基本医疗有保障", null=True, blank=True)
    housing_secured = models.BooleanField("住房安全有保障", null=True, blank=True)
    safe_drinking_water = models.BooleanField("是否解决安全饮用水", null=True, blank=True)
    housing_grade = models.CharField("住房安全等级", max_length=5, blank=True)
    housing_area = models.DecimalField("住房面积（平方米）", max_digits=8, decimal_places=2, null=True, blank=True)

    wage_income = models.DecimalField("工资性收入", **_MONEY)
    business_income = models.DecimalField("生产经营性收入", **_MONEY)
    property_income = models.DecimalField("财产性收入", **_MONEY)
    transfer_income = models.DecimalField("转移性收入", **_MONEY)
    assistance_income = models.DecimalField("其中：低保金、特困供养金", **_MONEY)
    production_costs = models.DecimalField("生产经营性支出", **_MONEY)
    transfer_expenses = models.DecimalField("转移性支出", **_MONEY)
    total_income = models.DecimalField("家庭总收入", **_MONEY)
    net_income = models.DecimalField("家庭纯收入", **_MONEY)
    per_capita_net_income = models.DecimalField("人均纯收入", **_MONEY)
    per_capita_disposable_income = models.DecimalField("人均可支配收入", **_MONEY)

    pairing_cadre = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="帮扶责任人", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="paired_households")

    # 防返贫监测: filled by the monitoring capability.
    household_type = models.CharField("户类型", max_length=20, blank=True)
    monitoring_type = models.CharField("监测对象类型", max_length=20, blank=True)
    risk_types = models.JSONField("风险类型", default=list, blank=True)
    risk_eliminated = models.BooleanField("风险是否消除", null=True, blank=True)
    risk_identified_on = models.DateField("风险识别时间", null=True, blank=True)
    risk_eliminated_on = models.DateField("风险消除时间", null=True, blank=True)

    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "建档立卡户"
        verbose_name_plural = "建档立卡户"
        ordering = ["year", "household_number"]
        indexes = [models.Index(fields=["year", "village"], name="household_year_village")]
        constraints = [
            models.UniqueConstraint(fields=["year", "household_number"], name="household_year_number_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="household_year_range"),
            models.CheckConstraint(condition=Q(version__gte=1), name="household_version_positive"),
            models.CheckConstraint(
                condition=Q(wage_income__gte=0) & Q(business_income__gte=0) & Q(property_income__gte=0)
                & Q(transfer_income__gte=0) & Q(assistance_income__gte=0) & Q(production_costs__gte=0)
                & Q(transfer_expenses__gte=0),
                name="household_income_components_nonnegative",
            ),
            models.CheckConstraint(condition=Q(assistance_income__lte=models.F("transfer_income")),
                                   name="household_assistance_within_transfer"),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | (Q(exit_year__gte=2013) & Q(exit_year__lte=models.F("year"))),
                name="household_exit_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_number}（{self.year}）"

    @property
    def is_dangerous_house(self) -> bool:
        return self.housing_grade in schema.DANGEROUS_HOUSING_GRADES

    @property
    def county_code(self) -> str:
        return self.village.code[:6] + "000000"


class Person(models.Model):
    """家庭成员: one member of a registered household in one year."""

    household = models.ForeignKey(Household, verbose_name="所属户", on_delete=models.CASCADE, related_name="persons")
    year = models.PositiveSmallIntegerField("年度")
    person_number = models.CharField("人编号", max_length=30)
    name = models.CharField("姓名", max_length=50)
    id_type = models.CharField("证件类型", max_length=5, default=schema.ID_TYPE_RESIDENT)
    id_number = models.CharField("证件号码", max_length=22)
    sex = models.CharField("性别", max_length=2)
    birth_date = models.DateField("出生日期")
    relation = models.CharField("与户主关系", max_length=5)
    ethnicity = models.CharField("民族", max_length=5, blank=True)
    education = models.CharField("文化程度", max_length=5, blank=True)
    schooling = models.CharField("在校生状况", max_length=5, blank=True)
    health = models.CharField("健康状况", max_length=5, blank=True)
    disability_category = models.CharField("残疾类别", max_length=5, blank=True)
    disability_grade = models.CharField("残疾等级", max_length=5, blank=True)
    labour_skill = models.CharField("劳动技能", max_length=5, blank=True)
    migrant_work_months = models.PositiveSmallIntegerField("务工时间（月）", default=0)
    medical_insurance = models.BooleanField("是否参加城乡居民基本医疗保险", null=True, blank=True)
    major_illness_insurance = models.BooleanField("是否参加大病保险", null=True, blank=True)
    pension_insurance = models.BooleanField("是否参加城乡居民基本养老保险", null=True, blank=True)
    phone = models.CharField("人联系电话", max_length=20, blank=True)
    identified_on = models.DateField("人员识别时间", null=True, blank=True)
    status = models.CharField("人员状态", max_length=20, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household", "person_number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "person_number"], name="person_year_number_unique"),
            models.UniqueConstraint(fields=["year", "id_number"], name="person_year_id_number_unique"),
            # At most one head among the members still in the household; "at least one" is checked by
            # the services and by validation.py, since a database cannot require a row to exist.
            models.UniqueConstraint(fields=["household"],
                                    condition=Q(relation=schema.HEAD_RELATION) & Q(status="active"),
                                    name="person_one_head_per_household"),
            models.CheckConstraint(condition=Q(migrant_work_months__lte=12), name="person_work_months_range"),
        ]

    def __str__(self) -> str:
        return self.name


class QualityResult(models.Model):
    """The data-quality checks of one county and year as last run (数据质量检查结果), so that the page
    reads stored issues instead of running every check on every view. `stamp` sums up the county's
    data when the checks ran (latest audit event, household and person counts, last household
    update): any change makes the result stale."""

    county = models.ForeignKey(Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    stamp = models.CharField("检查时的数据标记", max_length=120)
    households = models.PositiveIntegerField("检查户数")
    skipped = models.JSONField("未检查说明", default=list)
    seconds = models.FloatField("检查用时（秒）")
    computed_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "数据质量检查结果"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="quality_result_one_per_year")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year} 数据质量"


class QualityIssueRecord(models.Model):
    result = models.ForeignKey(QualityResult, on_delete=models.CASCADE, related_name="issues")
    household_id = models.BigIntegerField("户ID")
    household_number = models.CharField("户编号", max_length=30)
    area_code = models.CharField("行政村代码", max_length=12)
    check_id = models.CharField("检查项", max_length=40)
    message = models.TextField("问题")
    values = models.JSONField("数据", default=dict)
    year = models.PositiveSmallIntegerField("年度")

    class Meta:
        verbose_name = "数据质量问题"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["result", "area_code"], name="quality_issue_area")]

    def __str__(self) -> str:
        return f"{self.household_number} {self.check_id}"
