"""Validation of registry records, reusable by the services, the forms and the bulk importer.

No database access: the caller passes the code lists in force (`CodeLists`), the area-code prefixes
the actor may write in, and, for the same-person-twice check, what the database already holds.
Every problem names the field (by its Chinese label) and says what is wrong, in Chinese; the
importer adds the row number.

Values are the typed values of `registry/schema.py` (str, int, Decimal, date, bool, list of codes);
`parse_value` turns spreadsheet text into them, accepting a code or its label for coded fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from fupin.core.validators import id_check_digit
from fupin.registry import income, schema
from fupin.registry.schema import HOUSEHOLD, PERSON, FieldSpec

_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_NUMBER_RE = re.compile(r"^[0-9A-Za-z-]{1,30}$")
_TRUE = {"是", "1", "true", "True", "TRUE", "Y", "y", "yes", "有"}
_FALSE = {"否", "0", "false", "False", "FALSE", "N", "n", "no", "无"}
MAX_AGE = 120
# A household that left the registry (销号, 自然减少) may have no member left, hence no head.
GONE_STATUSES = frozenset({"removed", "natural_decrease"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record."""

    entity: str
    field: str
    message: str
    code: str = "invalid"
    row: int | None = None
    record: str = ""  # 户编号 or 人编号 of the record, when known

    def at_row(self, row: int) -> Problem:
        return Problem(self.entity, self.field, self.message, self.code, row, self.record)

    def __str__(self) -> str:
        where = f"第{self.row}行 " if self.row is not None else ""
        return where + self.message

    def as_dict(self) -> dict:
        return {"entity": self.entity, "field": self.field, "message": self.message, "code": self.code,
                "row": self.row, "record": self.record}


def _problem(entity: str, name: str, what: str, code: str = "invalid", record: str = "") -> Problem:
    return Problem(entity, name, f"{schema.field(entity, name).label}：{what}", code, None, record)


class CodeLists:
    """The dictionaries in force on one day: name → {code: label}."""

    def __init__(self, lists: Mapping[str, Mapping[str, str]], *, on: dt.date | None = None):
        self.lists = {name: dict(entries) for name, entries in lists.items()}
        self.on = on
        self._by_label = {name: {label: code for code, label in entries.items()}
                          for name, entries in self.lists.items()}

    def has(self, name: str, code: str) -> bool:
        return code in self.lists.get(name, {})

    def label(self, name: str, code: str) -> str:
        return self.lists.get(name, {}).get(code, code or "")

    def choices(self, name: str) -> list[tuple[str, str]]:
        return list(self.lists.get(name, {}).items())

    def lookup(self, name: str, text: str) -> str | None:
        """The code for `text`, given either as a code or as its label."""
        text = (text or "").strip()
        if text in self.lists.get(name, {}):
            return text
        return self._by_label.get(name, {}).get(text)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


# ---------------------------------------------------------------------------------------- parsing

def parse_value(spec: FieldSpec, raw, codes: CodeLists | None = None):
    """Spreadsheet text → the field's typed value. Returns (value, problem-or-None); blank → empty value."""
    text = "" if raw is None else str(raw).strip()
    empty = {"str": "", "code": "", "codes": [], "choice": ""}.get(spec.type)
    if text == "":
        return empty, None

    def bad(what: str):
        return empty, Problem(spec.entity, spec.name, f"{spec.label}：{what}", "bad_format")

    if spec.type == "str":
        return text, None
    if spec.type == "int":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return bad(f"“{text}”不是整数")
        if number != number.to_integral_value():
            return bad(f"“{text}”不是整数")
        return int(number), None
    if spec.type == "decimal":
        try:
            return income.money(text.replace(",", "")), None
        except InvalidOperation:
            return bad(f"“{text}”不是金额（元，最多两位小数）")
    if spec.type == "date":
        if len(text) == 10 and text[4] == "-":  # the common ISO form, without strptime's cost
            try:
                return dt.date.fromisoformat(text), None
            except ValueError:
                pass
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
            try:
                return dt.datetime.strptime(text[:10] if "-" in text else text, fmt).date(), None
            except ValueError:
                continue
        return bad(f"“{text}”不是日期（应为 YYYY-MM-DD）")
    if spec.type == "bool":
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return bad(f"“{text}”应为“是”或“否”")
    if spec.type == "choice":
        for value, label in spec.choices:
            if text in (value, label):
                return value, None
        return bad(f"“{text}”不是可选值（{'、'.join(label for _v, label in spec.choices)}）")
    if spec.type in ("code", "codes"):
        if codes is None:
            return (text if spec.type == "code" else [t for t in re.split(r"[、,，;；]", text) if t]), None
        parts = [text] if spec.type == "code" else [t.strip() for t in re.split(r"[、,，;；]", text) if t.strip()]
        found = []
        for part in parts:
            code = codes.lookup(spec.dictionary, part)
            if code is None:
                return bad(_outside(spec, part, codes))
            found.append(code)
        return (found[0] if spec.type == "code" else found), None
    raise ValueError(spec.type)


def _outside(spec: FieldSpec, value: str, codes: CodeLists) -> str:
    title = schema.field(spec.entity, spec.name).label
    when = f"（{codes.on.isoformat()}有效的）" if codes.on else ""
    return f"“{value}”不在字典“{title}”{when}中"


# ----------------------------------------------------------------------------------- identifiers

def id_number_problems(id_type: str, id_number: str, *, record: str = "") -> list[Problem]:
    """The certificate number checked against its type: length, the 18-digit ID inside it (GB 11643
    check digit and birth date) and, for a disability card, the category and grade digits."""
    number = (id_number or "").strip().upper()
    if not number:
        return [_problem(PERSON, "id_number", "不能为空", "required", record)]
    expected = schema.ID_LENGTHS.get(id_type)
    if expected is None:
        return [_problem(PERSON, "id_type", f"未知的证件类型“{id_type}”", "bad_code", record)]
    if len(number) != expected:
        kind = "居民身份证号" if id_type == schema.ID_TYPE_RESIDENT else "残疾人证号"
        return [_problem(PERSON, "id_number", f"{kind}应为{expected}位，实际为{len(number)}位", "id_length", record)]
    resident = number[:18]
    if not re.match(r"^\d{17}[\dX]$", resident):
        return [_problem(PERSON, "id_number", "前17位应为数字，第18位为数字或X", "id_format", record)]
    try:
        dt.date(int(resident[6:10]), int(resident[10:12]), int(resident[12:14]))
    except ValueError:
        return [_problem(PERSON, "id_number", f"其中的出生日期“{resident[6:14]}”不是有效日期", "id_birth", record)]
    check = id_check_digit(resident[:17])
    if check != resident[17]:
        return [_problem(PERSON, "id_number", f"校验位错误：第18位应为“{check}”，实际为“{resident[17]}”",
                         "id_check_digit", record)]
    if id_type != schema.ID_TYPE_RESIDENT:
        tail = number[18:]
        if not tail.isdigit():
            return [_problem(PERSON, "id_number", "残疾人证号第19位起应为数字", "id_format", record)]
        if not "1" <= tail[0] <= "7":
            return [_problem(PERSON, "id_number", f"残疾人证号第19位（残疾类别）应为1-7，实际为“{tail[0]}”",
                             "disability_category", record)]
        if not "1" <= tail[1] <= "4":
            return [_problem(PERSON, "id_number", f"残疾人证号第20位（残疾等级）应为1-4，实际为“{tail[1]}”",
                             "disability_grade", record)]
    return []


def id_birth_date(id_number: str) -> dt.date:
    n = id_number.strip()
    return dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))


def id_sex(id_number: str) -> str:
    return schema.SEX_MALE if int(id_number.strip()[16]) % 2 else schema.SEX_FEMALE


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def phone_problem(entity: str, name: str, value: str, record: str = "") -> Problem | None:
    if value and not _PHONE_RE.match(value.strip()):
        return _problem(entity, name, f"“{value}”格式不正确：手机号11位，固话如 0418-1234567", "phone", record)
    return None


# ---------------------------------------------------------------------------------------- records

# Checked elsewhere: the year and numbers by the caller, the status by its own rule, the member count
# against the members (validate_record).
_NOT_REQUIRED_HERE = frozenset({"year", "household_number", "status", "member_count"})


def _required(entity: str, data: Mapping, record: str) -> list[Problem]:
    out = []
    for spec in schema.fields_of(entity, derived=False):
        if spec.required and spec.name not in _NOT_REQUIRED_HERE and data.get(spec.name) in (
                None, "", []):
            out.append(_problem(entity, spec.name, "不能为空", "required", record))
    return out


def _codes(entity: str, data: Mapping, codes: CodeLists, record: str) -> list[Problem]:
    out = []
    for spec in schema.fields_of(entity, derived=False):
        if spec.type not in ("code", "codes"):
            continue
        value = data.get(spec.name)
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if v not in (None, "") and not codes.has(spec.dictionary, v):
                out.append(Problem(entity, spec.name, f"{spec.label}：{_outside(spec, v, codes)}", "bad_code", None,
                                   record))
    return out


def validate_person(data: Mapping, codes: CodeLists, *, year: int) -> list[Problem]:
    """One member on their own: required fields, codes, the certificate number, and birth date and
    sex consistent with it."""
    record = str(data.get("person_number") or data.get("name") or "")
    out = _required(PERSON, data, record) + _codes(PERSON, data, codes, record)
    id_type = data.get("id_type") or schema.ID_TYPE_RESIDENT
    id_problems = id_number_problems(id_type, data.get("id_number") or "", record=record)
    out += [p for p in id_problems if p.field != "id_number" or data.get("id_number")]
    number = (data.get("id_number") or "").strip().upper()
    birth = data.get("birth_date")
    if not id_problems and number:
        from_id = id_birth_date(number)
        if birth and birth != from_id:
            out.append(_problem(PERSON, "birth_date",
                                f"{birth.isoformat()} 与证件号码中的出生日期 {from_id.isoformat()} 不一致",
                                "birth_mismatch", record))
        sex = data.get("sex")
        if sex and sex in (schema.SEX_MALE, schema.SEX_FEMALE) and sex != id_sex(number):
            said = codes.label("sex", id_sex(number)) or id_sex(number)
            out.append(_problem(PERSON, "sex", f"“{codes.label('sex', sex)}”与证件号码不一致（第17位表示{said}）",
                                "sex_mismatch", record))
        if id_type != schema.ID_TYPE_RESIDENT:
            for name, digit in (("disability_category", number[18]), ("disability_grade", number[19])):
                given = data.get(name)
                if given and given != digit:
                    out.append(_problem(PERSON, name, f"“{codes.label(name, given)}”与残疾人证号第"
                                        f"{19 if name == 'disability_category' else 20}位“{digit}”不一致",
                                        "disability_mismatch", record))
    if birth:
        if birth > year_end(year):
            out.append(_problem(PERSON, "birth_date", f"{birth.isoformat()} 晚于{year}年末", "birth_future", record))
        elif age_on(birth, year_end(year)) > MAX_AGE:
            out.append(_problem(PERSON, "birth_date", f"{birth.isoformat()} 表示年龄超过{MAX_AGE}岁", "too_old", record))
    months = data.get("migrant_work_months")
    if months not in (None, "") and not 0 <= int(months) <= 12:
        out.append(_problem(PERSON, "migrant_work_months", f"应在0到12之间，实际为{months}", "out_of_range", record))
    identified = data.get("identified_on")
    if identified and identified > year_end(year):
        out.append(_problem(PERSON, "identified_on", f"{identified.isoformat()} 晚于{year}年末", "date_future", record))
    problem = phone_problem(PERSON, "phone", data.get("phone") or "", record)
    if problem:
        out.append(problem)
    status = data.get("status") or "active"
    if status not in dict(schema.PERSON_STATUSES):
        out.append(_problem(PERSON, "status", f"“{status}”不是有效的人员状态", "bad_choice", record))
    return out


def validate_members(members: Iterable[Mapping], *, household_number: str = "") -> list[Problem]:
    """The members of one household together: exactly one head among those still in the household,
    and no certificate number or person number twice."""
    members = list(members)
    active = [m for m in members if (m.get("status") or "active") == "active"]
    heads = [m for m in active if m.get("relation") == schema.HEAD_RELATION]
    out = []
    if len(heads) != 1:
        names = "、".join(str(m.get("name") or "") for m in heads)
        what = "本户没有户主（应有且仅有一名户主）" if not heads else f"本户有{len(heads)}名户主（{names}），应有且仅有一名"
        out.append(Problem(PERSON, "relation", f"与户主关系：{what}", "head_count", None, household_number))
    for name in ("id_number", "person_number"):
        counts = Counter((m.get(name) or "").strip().upper() for m in members if m.get(name))
        for value, n in counts.items():
            if n > 1:
                label = schema.field(PERSON, name).label
                out.append(Problem(PERSON, name, f"{label}：“{value}”在本户出现{n}次", "duplicate_in_household", None,
                                   household_number))
    return out


def validate_income(data: Mapping, member_count: int) -> list[Problem]:
    """Income arithmetic: components non-negative, the 低保/特困 part within the transfer income, and
    any computed figure given (from a form or a file) equal to what the components give."""
    record = str(data.get("household_number") or "")
    out = []
    for name in income.INPUTS:
        value = data.get(name)
        if value not in (None, "") and income.money(value) < 0:
            out.append(_problem(HOUSEHOLD, name, f"不能为负数（{value}）", "negative", record))
    if income.money(data.get("assistance_income")) > income.money(data.get("transfer_income")):
        out.append(_problem(HOUSEHOLD, "assistance_income",
                            f"{income.money(data.get('assistance_income'))} 大于转移性收入 "
                            f"{income.money(data.get('transfer_income'))}", "assistance_exceeds_transfer", record))
    has_components = any(data.get(name) not in (None, "") for name in income.INPUTS)
    if not has_components:
        return out
    computed = income.compute_income(data, member_count)
    formula = {
        "total_income": "工资性+生产经营性+财产性+转移性收入",
        "net_income": "家庭总收入−生产经营性支出",
        "per_capita_net_income": f"家庭纯收入÷人数{member_count}",
        "per_capita_disposable_income": f"(家庭纯收入−转移性支出)÷人数{member_count}",
    }
    for name in income.COMPUTED:
        given = data.get(name)
        if given in (None, ""):
            continue
        if abs(income.money(given) - computed[name]) > income.CENT:
            out.append(_problem(HOUSEHOLD, name, f"填写为 {income.money(given)}，按{formula[name]}应为 {computed[name]}",
                                "income_arithmetic", record))
    return out


def validate_household(data: Mapping, codes: CodeLists, *, year: int,
                       allowed_prefixes: Iterable[str] | None = None) -> list[Problem]:
    """The household's own fields: required ones, codes, dates, phone, status, and the village
    inside the areas the actor may write in (`allowed_prefixes`; None: not checked)."""
    record = str(data.get("household_number") or "")
    out = _required(HOUSEHOLD, data, record) + _codes(HOUSEHOLD, data, codes, record)
    number = str(data.get("household_number") or "")
    if not number:
        out.append(_problem(HOUSEHOLD, "household_number", "不能为空", "required", record))
    elif not _NUMBER_RE.match(number):
        out.append(_problem(HOUSEHOLD, "household_number", f"“{number}”只能包含数字、字母和连字符，最长30位",
                            "bad_format", record))
    village = str(data.get("village") or "")
    if village:
        if not (village.isdigit() and len(village) == 12):
            out.append(_problem(HOUSEHOLD, "village", f"“{village}”应为12位行政村区划代码", "bad_format", record))
        elif allowed_prefixes is not None and not any(village.startswith(p) for p in allowed_prefixes):
            out.append(_problem(HOUSEHOLD, "village", f"{village} 不在您的管辖范围内", "village_out_of_scope",
                                record))
    status = data.get("status") or "candidate"
    if status not in dict(schema.HOUSEHOLD_STATUSES):
        out.append(_problem(HOUSEHOLD, "status", f"“{status}”不是有效的户状态", "bad_choice", record))
    exit_year = data.get("exit_year")
    if exit_year not in (None, "") and not 2013 <= int(exit_year) <= year:
        out.append(_problem(HOUSEHOLD, "exit_year", f"{exit_year} 应在2013年到{year}年之间", "out_of_range", record))
    for name in ("first_identified_on", "risk_identified_on", "risk_eliminated_on"):
        day = data.get(name)
        if day and day > year_end(year):
            out.append(_problem(HOUSEHOLD, name, f"{day.isoformat()} 晚于{year}年末", "date_future", record))
    start, end = data.get("risk_identified_on"), data.get("risk_eliminated_on")
    if start and end and end < start:
        out.append(_problem(HOUSEHOLD, "risk_eliminated_on", f"{end.isoformat()} 早于风险识别时间 {start.isoformat()}",
                            "date_order", record))
    area = data.get("housing_area")
    if area not in (None, "") and income.money(area) < 0:
        out.append(_problem(HOUSEHOLD, "housing_area", f"不能为负数（{area}）", "negative", record))
    problem = phone_problem(HOUSEHOLD, "phone", data.get("phone") or "", record)
    if problem:
        out.append(problem)
    return out


def duplicate_elsewhere(members: Iterable[Mapping], elsewhere: Mapping[str, str], *, year: int) -> list[Problem]:
    """The same person in two households of one year: `elsewhere` maps a certificate number (upper
    case) to the 户编号 of another household of `year` that already holds it."""
    out = []
    for m in members:
        number = (m.get("id_number") or "").strip().upper()
        other = elsewhere.get(number)
        if number and other:
            out.append(_problem(PERSON, "id_number", f"{m.get('name') or ''}已登记在{year}年度的户 {other} 中，"
                                "同一人同一年度只能属于一户", "person_in_two_households",
                                str(m.get("person_number") or "")))
    return out


def validate_record(household: Mapping, members: list[Mapping], codes: CodeLists, *, year: int,
                    allowed_prefixes: Iterable[str] | None = None,
                    elsewhere: Mapping[str, str] | None = None) -> list[Problem]:
    """A whole household file: the household, each member, the members together, the income."""
    out = validate_household(household, codes, year=year, allowed_prefixes=allowed_prefixes)
    for m in members:
        out += validate_person(m, codes, year=year)
    number = str(household.get("household_number") or "")
    active = sum(1 for m in members if (m.get("status") or "active") == "active")
    if active or household.get("status") not in GONE_STATUSES:
        out += validate_members(members, household_number=number)
    given = household.get("member_count")
    if given not in (None, "") and int(given) != active:
        out.append(_problem(HOUSEHOLD, "member_count", f"填写为{given}人，与在户成员{active}人不一致",
                            "member_count_mismatch", number))
    out += validate_income(household, active)
    if elsewhere:
        out += duplicate_elsewhere(members, elsewhere, year=year)
    return out
