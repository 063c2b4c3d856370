"""The canonical field catalogue of registered households (建档立卡户) and persons (人口).

Pure data, no Django: the policy rule engine checks its field references against it, the importer
and the exporter map spreadsheet headers through it, and the models use the same names. Names are
stable once written; add fields, never rename them.

Each field has:
- `name`: the model field name (for a foreign key, the name of the key: `village` holds the 12-digit
  village code, `pairing_cadre` the user id);
- `type`: one of TYPES —
  `str`, `int`, `decimal` (yuan, 2 places), `date`, `bool`,
  `code` (one code from the dictionary named in `dictionary`),
  `codes` (several codes from that dictionary),
  `choice` (a fixed status set defined in code, see `choices`);
- `label`: the Chinese label shown to people;
- `dictionary`: the code list (数据字典) the values come from, for `code` / `codes`;
- `national_header`: the column header of the national system's Excel export (全国扶贫开发信息系统,
  2022 layout: 已脱贫人口名单 / 边缘易致贫人口名单), where one exists; other fields are exported under
  `label` as our extra columns;
- `derived`: computed by the system (from other fields or related records), never entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

TYPES = frozenset({"str", "int", "decimal", "date", "bool", "code", "codes", "choice"})

HOUSEHOLD = "household"
PERSON = "person"


@dataclass(frozen=True)
class FieldSpec:
    entity: str
    name: str
    type: str
    label: str
    dictionary: str = ""
    national_header: str = ""
    derived: bool = False
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    note: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.entity}.{self.name}: unknown type {self.type!r}")
        if self.type in ("code", "codes") and not self.dictionary:
            raise ValueError(f"{self.entity}.{self.name}: a {self.type} field needs a dictionary")

    @property
    def header(self) -> str:
        """The spreadsheet header: the national one where it exists, else the Chinese label."""
        return self.national_header or self.label


# Lifecycle statuses of a household (户状态); the transitions live in registry/lifecycle.py.
HOUSEHOLD_STATUSES: tuple[tuple[str, str], ...] = (
    ("candidate", "拟纳入"),
    ("registered", "未脱贫"),
    ("expected_exit", "预脱贫"),
    ("exited", "已脱贫"),
    ("returned", "返贫"),
    ("removed", "销号"),
    ("natural_decrease", "自然减少"),
)

# Status of a person inside the household (人员状态).
PERSON_STATUSES: tuple[tuple[str, str], ...] = (
    ("active", "在户"),
    ("deceased", "死亡"),
    ("moved_out", "迁出"),
    ("removed", "错误纠正移除"),
)


def _h(name, type_, label, **kw) -> FieldSpec:
    return FieldSpec(HOUSEHOLD, name, type_, label, **kw)


def _p(name, type_, label, **kw) -> FieldSpec:
    return FieldSpec(PERSON, name, type_, label, **kw)


HOUSEHOLD_FIELDS: tuple[FieldSpec, ...] = (
    # location and identity
    _h("year", "int", "年度", required=True),
    _h("county_name", "str", "县(市、区、旗)", national_header="县(市、区、旗)", derived=True),
    _h("township_name", "str", "乡(镇)", national_header="乡(镇)", derived=True),
    _h("village_name", "str", "行政村", national_header="行政村", derived=True),
    _h("village", "str", "行政村代码", required=True, note="12-digit village code (统计用区划代码)"),
    _h("natural_village", "str", "自然村", national_header="自然村"),
    _h("household_number", "str", "户编号", national_header="户编号", required=True),
    _h("head_name", "str", "户主姓名", derived=True, note="name of the member whose relation is 户主"),
    _h("member_count", "int", "人数", national_header="人数", required=True),
    _h("address", "str", "家庭住址"),
    _h("phone", "str", "户联系电话", national_header="户联系电话"),
    # identification and status
    _h("identification_standard", "code", "识别标准", dictionary="identification_standard"),
    _h("poverty_attribute", "code", "贫困户属性", dictionary="poverty_attribute"),
    _h("main_cause", "code", "主要致贫原因", dictionary="poverty_cause", national_header="致贫原因1"),
    _h("other_causes", "codes", "其他致贫原因", dictionary="poverty_cause"),
    _h("first_identified_on", "date", "首次识别时间", national_header="首次识别时间"),
    _h("status", "choice", "户状态", choices=HOUSEHOLD_STATUSES, required=True),
    _h("exit_year", "int", "脱贫年度"),
    _h("military_family", "bool", "是否军烈属户"),
    # 两不愁三保障 and housing / water
    _h("food_secure", "bool", "不愁吃"),
    _h("clothing_secure", "bool", "不愁穿"),
    _h("compulsory_education_secured", "bool", "义务教育有保障"),
    _h("basic_medical_secured", "bool", "基本医疗有保障"),
    _h("housing_secured", "bool", "住房安全有保障"),
    _h("safe_drinking_water", "bool", "是否解决安全饮用水", national_header="是否解决安全饮用水"),
    _h("housing_grade", "code", "住房安全等级", dictionary="housing_grade"),
    _h("is_dangerous_house", "bool", "危房户", national_header="危房户", derived=True,
       note="yes when the housing grade is C or D"),
    _h("housing_area", "decimal", "住房面积（平方米）"),
    # income accounting (家庭收入核算), yuan per year
    _h("wage_income", "decimal", "工资性收入"),
    _h("business_income", "decimal", "生产经营性收入"),
    _h("property_income", "decimal", "财产性收入"),
    _h("transfer_income", "decimal", "转移性收入"),
    _h("assistance_income", "decimal", "其中：低保金、特困供养金",
       note="part of the transfer income; never more than it"),
    _h("production_costs", "decimal", "生产经营性支出"),
    _h("transfer_expenses", "decimal", "转移性支出",
       note="maintenance paid out, taxes and social-insurance contributions"),
    _h("total_income", "decimal", "家庭总收入", derived=True,
       note="wage + business + property + transfer"),
    _h("net_income", "decimal", "家庭纯收入", derived=True, note="total income − production costs"),
    _h("per_capita_net_income", "decimal", "人均纯收入", national_header="人均纯收入", derived=True,
       note="net income / member count"),
    _h("per_capita_disposable_income", "decimal", "人均可支配收入", derived=True,
       note="(net income − transfer expenses) / member count"),
    # assistance
    _h("pairing_cadre", "int", "帮扶责任人", note="user id of the pairing cadre (帮扶责任人)"),
    _h("pairing_cadre_name", "str", "帮扶责任人姓名", derived=True),
    # monitoring (防返贫监测): filled by the monitoring capability
    _h("household_type", "code", "户类型", dictionary="household_type", national_header="户类型"),
    _h("monitoring_type", "code", "监测对象类型", dictionary="monitoring_type",
       national_header="易返贫致贫户(监测对象)类型"),
    _h("risk_types", "codes", "风险类型", dictionary="risk_type"),
    _h("risk_eliminated", "bool", "风险是否消除", national_header="风险是否消除"),
    _h("risk_identified_on", "date", "风险识别时间", national_header="风险识别时间"),
    _h("risk_eliminated_on", "date", "风险消除时间", national_header="风险消除时间"),
)

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    _p("year", "int", "年度", required=True),
    _p("household_number", "str", "户编号", national_header="户编号", required=True,
       note="links the person to the household of the same year"),
    _p("person_number", "str", "人编号", national_header="人编号", required=True),
    _p("name", "str", "姓名", national_header="姓名", required=True),
    _p("id_type", "code", "证件类型", dictionary="id_type", required=True),
    _p("id_number", "str", "证件号码", national_header="证件号码", required=True,
       note="18-digit resident ID (GB 11643); 20- or 22-digit disability card (残疾人证号)"),
    _p("sex", "code", "性别", dictionary="sex", required=True),
    _p("birth_date", "date", "出生日期", required=True),
    _p("age", "int", "年龄", derived=True, note="full years (周岁) on 31 December of the record year"),
    _p("relation", "code", "与户主关系", dictionary="relation", national_header="与户主关系", required=True),
    _p("ethnicity", "code", "民族", dictionary="ethnicity", national_header="民族"),
    _p("education", "code", "文化程度", dictionary="education", national_header="文化程度"),
    _p("schooling", "code", "在校生状况", dictionary="schooling", national_header="在校生状况"),
    _p("health", "code", "健康状况", dictionary="health_status", national_header="健康状况"),
    _p("disability_category", "code", "残疾类别", dictionary="disability_category"),
    _p("disability_grade", "code", "残疾等级", dictionary="disability_grade"),
    _p("labour_skill", "code", "劳动技能", dictionary="labour_skill", national_header="劳动技能"),
    _p("migrant_work_months", "int", "务工时间（月）", national_header="务工时间（月）"),
    _p("medical_insurance", "bool", "是否参加城乡居民基本医疗保险"),
    _p("major_illness_insurance", "bool", "是否参加大病保险", national_header="是否参加大病保险"),
    _p("pension_insurance", "bool", "是否参加城乡居民基本养老保险"),
    _p("phone", "str", "人联系电话", national_header="人联系电话"),
    _p("identified_on", "date", "人员识别时间", national_header="人员识别时间"),
    _p("status", "choice", "人员状态", choices=PERSON_STATUSES, required=True),
)

ALL_FIELDS: tuple[FieldSpec, ...] = HOUSEHOLD_FIELDS + PERSON_FIELDS

_BY_KEY = {(f.entity, f.name): f for f in ALL_FIELDS}

# The columns of the national export, in its order: one row per person, household columns repeated.
NATIONAL_LAYOUT: tuple[str, ...] = (
    "县(市、区、旗)", "乡(镇)", "行政村", "自然村",
    "户编号", "人编号", "姓名", "证件号码", "人数", "与户主关系", "民族", "文化程度", "在校生状况",
    "健康状况", "劳动技能", "务工时间（月）",
    "是否参加大病保险", "致贫原因1", "危房户", "是否解决安全饮用水", "人均纯收入",
    "户联系电话", "人联系电话", "首次识别时间", "人员识别时间",
    "户类型", "易返贫致贫户(监测对象)类型", "风险是否消除", "风险识别时间", "风险消除时间",
)

# Our columns after the national ones, so a file we write carries the whole record and reads back.
EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (
    (HOUSEHOLD, "year"), (HOUSEHOLD, "village"), (HOUSEHOLD, "head_name"), (HOUSEHOLD, "address"),
    (HOUSEHOLD, "identification_standard"), (HOUSEHOLD, "poverty_attribute"), (HOUSEHOLD, "other_causes"),
    (HOUSEHOLD, "status"), (HOUSEHOLD, "exit_year"), (HOUSEHOLD, "military_family"),
    (HOUSEHOLD, "food_secure"), (HOUSEHOLD, "clothing_secure"), (HOUSEHOLD, "compulsory_education_secured"),
    (HOUSEHOLD, "basic_medical_secured"), (HOUSEHOLD, "housing_secured"), (HOUSEHOLD, "housing_grade"),
    (HOUSEHOLD, "housing_area"),
    (HOUSEHOLD, "wage_income"), (HOUSEHOLD, "business_income"), (HOUSEHOLD, "property_income"),
    (HOUSEHOLD, "transfer_income"), (HOUSEHOLD, "assistance_income"), (HOUSEHOLD, "production_costs"),
    (HOUSEHOLD, "transfer_expenses"), (HOUSEHOLD, "total_income"), (HOUSEHOLD, "net_income"),
    (HOUSEHOLD, "per_capita_disposable_income"), (HOUSEHOLD, "risk_types"),
    (PERSON, "id_type"), (PERSON, "sex"), (PERSON, "birth_date"), (PERSON, "disability_category"),
    (PERSON, "disability_grade"), (PERSON, "medical_insurance"), (PERSON, "pension_insurance"),
    (PERSON, "status"),
)

# Relation code of the head of household (户主): exactly one per household.
HEAD_RELATION = "02"
# Sex codes (GB/T 2261.1): 1 male, 2 female.
SEX_MALE, SEX_FEMALE = "1", "2"
# Certificate types (证件类型) with the number lengths they take.
ID_TYPE_RESIDENT, ID_TYPE_DISABILITY_20, ID_TYPE_DISABILITY_22 = "01", "20", "22"
ID_LENGTHS = {ID_TYPE_RESIDENT: 18, ID_TYPE_DISABILITY_20: 20, ID_TYPE_DISABILITY_22: 22}
# Housing grades that make a dangerous house (危房).
DANGEROUS_HOUSING_GRADES = frozenset({"C", "D"})


def field(entity: str, name: str) -> FieldSpec:
    """The spec of `entity.name`; KeyError names the unknown field."""
    try:
        return _BY_KEY[(entity, name)]
    except KeyError:
        raise KeyError(f"unknown registry field: {entity}.{name}") from None


def has_field(entity: str, name: str) -> bool:
    return (entity, name) in _BY_KEY


@cache
def fields_of(entity: str, *, derived: bool | None = None) -> tuple[FieldSpec, ...]:
    """Fields of one entity; `derived=False` gives only those people enter. (Cached: the catalogue is
    fixed, and the importer asks for it for every record.)"""
    return tuple(f for f in ALL_FIELDS if f.entity == entity and (derived is None or f.derived == derived))


def by_header(entity: str | None = None) -> dict[str, FieldSpec]:
    """Header → field, for the importer (national headers and our extra columns)."""
    return {f.header: f for f in ALL_FIELDS if entity is None or f.entity == entity}


def export_columns() -> list[FieldSpec]:
    """The columns of a registry file, in order: the national layout, then EXTRA_COLUMNS. Where a
    household and a person field share a header (户编号), the person's column is the household's."""
    national = {}
    for f in ALL_FIELDS:
        if f.national_header and f.national_header not in national:
            national[f.national_header] = f
    columns = [national[h] for h in NATIONAL_LAYOUT]
    return columns + [field(entity, name) for entity, name in EXTRA_COLUMNS]


def dictionaries_used() -> frozenset[str]:
    return frozenset(f.dictionary for f in ALL_FIELDS if f.dictionary)
