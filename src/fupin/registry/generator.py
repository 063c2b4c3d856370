"""Synthetic registry data (模拟数据): realistic, deterministic households and persons of one county.

`generate_households(villages, households=N, seed=S, year=Y)` yields (household, members) as dicts
of schema field names, the same for the same arguments on every machine (one `random.Random(seed)`,
villages in code order). The shapes follow the documents:

- poverty causes calibrated on Anshan 2020 (of 1754 remaining poor: 1309 因病, 243 因残, 97 缺劳力,
  16 缺资金, 2 缺技术, 1 因灾; the other 86 spread over the remaining causes);
- household size about 2.3-2.5 persons (Anshan 753 households / 1754 persons; Zhangwu 65 / 119):
  many elderly one- and two-person households, couples with children, three generations;
- per-capita net income around the lines the documents use (3,000-5,000 yuan for the still-poor,
  about one exited person in ten under 5,000: Zhangwu 3922 of about 43,000);
- exit cohorts 2014-2019 weighted by the county's plan (2018: 8010 people, 2019: 4190);
- resident ID numbers of the county (GB 11643 check digit) consistent with sex and birth date;
  some disabled members registered with their 20- or 22-digit disability card number.

`write_csv` writes the national export layout (plus our columns); `write_db` bulk-inserts.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from fupin.core.validators import id_check_digit
from fupin.registry import income, schema
from fupin.registry.validation import age_on

# --------------------------------------------------------------------------------- calibration

# Main cause of poverty (主要致贫原因) shares. Anshan 2020 figures for the named causes; the 86 of
# 1754 persons without a named cause are spread over the other causes of the list.
CAUSE_SHARES: dict[str, float] = {
    "01": 1309 / 1754,  # 因病
    "02": 243 / 1754,  # 因残
    "08": 97 / 1754,  # 缺劳力
    "09": 16 / 1754,  # 缺资金
    "07": 2 / 1754,  # 缺技术
    "04": 1 / 1754,  # 因灾
    "03": 35 / 1754,  # 因学
    "11": 20 / 1754,  # 自身发展动力不足
    "05": 14 / 1754,  # 缺土地
    "10": 8 / 1754,  # 交通条件落后
    "06": 5 / 1754,  # 缺水
    "99": 4 / 1754,  # 其他
}
# Exit cohorts (脱贫年度): 2018 and 2019 follow the county's plan (8010 and 4190 people).
EXIT_YEAR_WEIGHTS = {2014: 0.06, 2015: 0.12, 2016: 0.20, 2017: 0.22, 2018: 0.26, 2019: 0.14}
# Household status in the record year, for a year after the main exits (e.g. Zhangwu 2020:
# 65 households still to exit, most exited).
STATUS_WEIGHTS = {"exited": 0.935, "expected_exit": 0.006, "registered": 0.004, "returned": 0.006,
                  "natural_decrease": 0.035, "removed": 0.014}
# Median and spread (log-normal sigma) of per-capita net income, by status.
INCOME_MEDIAN = {"exited": 7800, "expected_exit": 3900, "registered": 3500, "returned": 3600, "removed": 12000,
                 "natural_decrease": 7000}
INCOME_SIGMA = {"exited": 0.35, "removed": 0.4, "natural_decrease": 0.35}
PENSION_PER_YEAR = 1320  # 城乡居民基础养老金, about 110 yuan a month
ALLOWANCE_PER_PERSON = (3000, 4300)  # 农村低保, yuan per person per year
SUPPORT_PER_PERSON = (5500, 7000)  # 特困供养

SURNAMES = (
    "王李张刘赵杨孙于高马陈徐吴周郭宋韩冯姜董崔田白付包佟关孟郝闫曹魏侯吕任贾石金范丁苏卢沈姚袁程潘肖薛尹邵史秦杜"
    "何胡朱林罗鲍那敖邱邹方夏蒋蔡谭陆汪钟毛顾龚万钱严彭雷段")
# The most common surnames of Liaoning first, with their rough weights; the rest share a small one.
_TOP_SURNAME_WEIGHTS = (8, 7.5, 7, 6.5, 4, 3, 3, 2.5, 2.5, 2, 2.5, 1.5, 1.5, 1.5, 1.5, 1.2, 1.2, 1, 1.2, 1.2)
SURNAME_WEIGHTS = [*_TOP_SURNAME_WEIGHTS, *[0.5] * (len(SURNAMES) - len(_TOP_SURNAME_WEIGHTS))]
GIVEN = {
    ("1", "old"): "福贵财山海林春生发广德才富成祥有金玉树宝忠明文国庆长永志振学清顺义仁江占军",
    ("2", "old"): "桂兰英芝珍淑凤秀玉荣华芳霞琴云梅香花翠素艳丽敏娟菊彩香凤霞",
    ("1", "mid"): "国建军伟志东明强林平华勇刚辉海波立新红春晓宏亮军峰",
    ("2", "mid"): "红丽艳梅霞华玲燕静秀敏芳娟英春丹萍晶颖杰",
    ("1", "young"): "浩宇鹏磊伟强涛杰晨博阳俊帅鑫超东亮旭峰龙斌凯洋宏睿轩泽",
    ("2", "young"): "婷雪静丹娜颖悦欣怡佳琳萌晶璐倩薇月蕾雨思梦涵彤瑶",
}
NATURAL_VILLAGE_SUFFIXES = ("屯", "窝堡", "家子", "沟", "营子", "店")


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    township_name: str
    county_name: str


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class _Gen:
    def __init__(self, seed: int, year: int):
        self.rng = random.Random(seed)
        self.year = year
        self.ref = dt.date(year, 12, 31)
        self.ids: set[str] = set()
        exits = {y: w for y, w in EXIT_YEAR_WEIGHTS.items() if y < year}
        self.exit_weights = exits
        # Share of the cohorts that had exited before `year`: all of them from 2020 on.
        done = sum(exits.values()) / sum(EXIT_YEAR_WEIGHTS.values())
        statuses = dict(STATUS_WEIGHTS)
        if done < 0.999:
            planned = EXIT_YEAR_WEIGHTS.get(year, 0) / sum(EXIT_YEAR_WEIGHTS.values())
            in_registry = STATUS_WEIGHTS["exited"] + STATUS_WEIGHTS["registered"] + STATUS_WEIGHTS["expected_exit"]
            statuses.update(exited=in_registry * done, expected_exit=in_registry * planned,
                            registered=in_registry * (1 - done - planned), returned=STATUS_WEIGHTS["returned"] * done)
        self.status_weights = {k: v for k, v in statuses.items() if v > 0}

    # ---- people
    def name(self, sex: str, birth_year: int, surname: str | None = None) -> str:
        rng = self.rng
        surname = surname or rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        era = "old" if birth_year < 1962 else "mid" if birth_year < 1985 else "young"
        pool = GIVEN[(sex, era)]
        length = 1 if rng.random() < (0.25 if era == "old" else 0.4) else 2
        return surname + "".join(rng.choice(pool) for _ in range(length))

    def birth(self, age: int) -> dt.date:
        start = dt.date(self.ref.year - age - 1, 12, 31) + dt.timedelta(days=1)
        return start + dt.timedelta(days=self.rng.randrange(365))

    def id_number(self, birth: dt.date, sex: str, county: str) -> str:
        while True:
            seq = self.rng.randrange(0, 100) * 10 + self.rng.choice((1, 3, 5, 7, 9) if sex == "1" else (0, 2, 4, 6, 8))
            first17 = f"{county}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def person(self, *, relation: str, sex: str, age: int, surname: str | None, county: str) -> dict:
        age = max(0, min(age, 98))
        birth = self.birth(age)
        return {"relation": relation, "sex": sex, "birth_date": birth, "name": self.name(sex, birth.year, surname),
                "id_number": self.id_number(birth, sex, county), "id_type": schema.ID_TYPE_RESIDENT}

    # ---- households
    def family(self, kind: str, county: str) -> list[dict]:
        rng = self.rng
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        people = []
        if kind == "single_elderly":
            sex = rng.choice("12")
            people.append(self.person(relation="02", sex=sex, age=rng.randint(60, 88), surname=surname, county=county))
        elif kind == "single_adult":
            people.append(self.person(relation="02", sex="1" if rng.random() < 0.7 else "2", age=rng.randint(35, 59),
                                      surname=surname, county=county))
        elif kind == "elderly_couple":
            age = rng.randint(58, 85)
            people.append(self.person(relation="02", sex="1", age=age, surname=surname, county=county))
            people.append(self.person(relation="10", sex="2", age=age - rng.randint(-2, 5), surname=None, county=county))
        else:
            head_age = rng.randint(28, 55)
            single = kind == "single_parent"
            head_sex = ("2" if rng.random() < 0.6 else "1") if single else "1"
            people.append(self.person(relation="02", sex=head_sex, age=head_age, surname=surname, county=county))
            if not single:
                people.append(self.person(relation="10", sex="2", age=head_age - rng.randint(-2, 5), surname=None,
                                          county=county))
            kids = rng.choice((1, 1, 2, 2, 2, 3)) if kind != "single_parent" else rng.choice((1, 1, 2))
            # Children born when the head was 20 to 40, and not older than 26 (older ones have left).
            youngest, oldest = max(0, head_age - 40), max(0, min(head_age - 20, 26))
            child_surname = surname if head_sex == "1" else None
            for _ in range(kids):
                sex = rng.choice("12")
                people.append(self.person(relation="20" if sex == "1" else "30", sex=sex,
                                          age=rng.randint(min(youngest, oldest), oldest), surname=child_surname,
                                          county=county))
            if kind == "three_generation":
                father_age = min(92, head_age + rng.randint(22, 32))
                both = rng.random() < 0.35
                if both or rng.random() < 0.4:
                    people.append(self.person(relation="51", sex="1", age=father_age, surname=surname, county=county))
                if both or people[-1]["relation"] != "51":
                    people.append(self.person(relation="52", sex="2", age=father_age - rng.randint(0, 5), surname=None,
                                              county=county))
        return people

    def kind_for(self, cause: str) -> str:
        rng = self.rng
        if cause == "08":  # 缺劳力
            return rng.choice(("single_elderly", "single_elderly", "elderly_couple"))
        if cause == "03":  # 因学
            return rng.choice(("couple_kids", "three_generation", "single_parent"))
        return _weighted(rng, {"single_elderly": 0.24, "elderly_couple": 0.26, "couple_kids": 0.22,
                               "three_generation": 0.16, "single_parent": 0.06, "single_adult": 0.06})


def _age(p: dict, ref: dt.date) -> int:
    return age_on(p["birth_date"], ref)


def _health(g: _Gen, people: list[dict], cause: str) -> None:
    rng, ref = g.rng, g.ref
    for p in people:
        age = _age(p, ref)
        weights = ({"1": 95, "2": 4, "3": 1} if age < 50 else {"1": 70, "2": 25, "3": 5} if age < 65
                   else {"1": 45, "2": 45, "3": 10})
        p["health"] = _weighted(rng, weights)
        if rng.random() < 0.02 and age >= 5:
            p["health"] = "4"
    adults = [p for p in people if _age(p, ref) >= 18] or people
    if cause == "01" and not any(p["health"] in ("2", "3") for p in people):
        rng.choice(adults)["health"] = "3" if rng.random() < 0.35 else "2"
    if cause == "02" and not any(p["health"] == "4" for p in people):
        rng.choice(people)["health"] = "4"
    for p in people:
        if p["health"] == "4":
            p["disability_category"] = _weighted(rng, {"4": 45, "1": 12, "2": 10, "3": 3, "5": 10, "6": 10, "7": 10})
            p["disability_grade"] = _weighted(rng, {"1": 20, "2": 30, "3": 25, "4": 25})
            roll = rng.random()
            if roll < 0.30:
                p["id_type"] = schema.ID_TYPE_DISABILITY_20
                p["id_number"] += p["disability_category"] + p["disability_grade"]
            elif roll < 0.33:
                p["id_type"] = schema.ID_TYPE_DISABILITY_22
                p["id_number"] += p["disability_category"] + p["disability_grade"] + f"{rng.randint(1, 3):02d}"
        else:
            p["disability_category"] = p["disability_grade"] = ""


def _schooling_education(g: _Gen, p: dict) -> None:
    rng, age, born = g.rng, _age(p, g.ref), p["birth_date"].year
    school = "00"
    if 3 <= age <= 5:
        school = "10" if rng.random() < 0.75 else "00"
    elif 6 <= age <= 11:
        school = "20"
    elif 12 <= age <= 14:
        school = "30"
    elif 15 <= age <= 17:
        school = _weighted(rng, {"40": 60, "45": 30, "00": 10})
    elif 18 <= age <= 21:
        school = _weighted(rng, {"60": 10, "55": 8, "50": 5, "00": 77})
    if p.get("health") == "4" and p.get("disability_category") in ("5", "6", "7") and school != "00":
        school = "00" if age > 15 else school
    p["schooling"] = school
    if age < 6:
        p["education"] = "10"
    elif school in ("20",):
        p["education"] = "30" if age > 6 else "10"
    elif school == "30":
        p["education"] = "30"
    elif school in ("40", "45"):
        p["education"] = "40"
    elif school in ("50", "55", "60"):
        p["education"] = "50"
    elif born < 1950:
        p["education"] = _weighted(rng, {"20": 50, "30": 40, "40": 10})
    elif born < 1965:
        p["education"] = _weighted(rng, {"20": 20, "30": 50, "40": 27, "50": 3})
    elif born < 1980:
        p["education"] = _weighted(rng, {"30": 30, "40": 60, "50": 8, "60": 2})
    else:
        p["education"] = _weighted(rng, {"30": 10, "40": 60, "50": 20, "60": 10})


def _labour(g: _Gen, p: dict) -> None:
    rng, age = g.rng, _age(p, g.ref)
    student = p["schooling"] != "00"
    if age < 16 or student:
        skill = "5"
    elif p["health"] == "4":
        skill = "4" if p.get("disability_grade") in ("1", "2") else "3"
    elif p["health"] == "3":
        skill = _weighted(rng, {"4": 60, "3": 40})
    elif age >= 70:
        skill = _weighted(rng, {"5": 40, "4": 25, "3": 35})
    elif age >= 60:
        skill = _weighted(rng, {"3": 60, "1": 25, "4": 15})
    elif p["health"] == "2":
        skill = _weighted(rng, {"3": 55, "1": 45})
    else:
        skill = _weighted(rng, {"1": 80, "2": 10, "3": 10})
    p["labour_skill"] = skill
    months = 0
    if skill in ("1", "2") and 18 <= age <= 55 and rng.random() < 0.45:
        months = rng.randint(2, 10)
    p["migrant_work_months"] = months


def _insurance_contact(g: _Gen, p: dict, identified: dt.date) -> None:
    rng, age = g.rng, _age(p, g.ref)
    p["medical_insurance"] = rng.random() < 0.995
    p["major_illness_insurance"] = p["medical_insurance"]
    p["pension_insurance"] = age >= 16 and p["schooling"] == "00" and rng.random() < 0.93
    p["phone"] = _mobile(rng) if 18 <= age <= 70 and rng.random() < 0.4 else ""
    born = p["birth_date"] + dt.timedelta(days=30)
    p["identified_on"] = min(max(identified, born), g.ref)


def _mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17")) + "".join(rng.choice("0123456789") for _ in range(9))


def _ethnicity(g: _Gen, people: list[dict]) -> None:
    rng = g.rng
    base = _weighted(rng, {"01": 88, "02": 7.5, "11": 3.5, "03": 0.6, "10": 0.4})
    for p in people:
        same = p["relation"] not in ("10",) or rng.random() < 0.8
        p["ethnicity"] = base if same else "01"


def _money(value: float) -> Decimal:
    return Decimal(max(0, int(round(value)))).quantize(income.CENT)


def _income(g: _Gen, people: list[dict], status: str, attribute: str) -> dict:
    rng, ref = g.rng, g.ref
    active = [p for p in people if p.get("status", "active") == "active"]
    n = len(active)
    if n == 0:
        return {name: Decimal("0.00") for name in income.INPUTS}
    median = INCOME_MEDIAN[status]
    per_capita = median * math.exp(rng.gauss(0, INCOME_SIGMA.get(status, 0.22)))
    target = per_capita * n
    elderly = sum(1 for p in active if _age(p, ref) >= 60)
    assistance = 0.0
    if attribute == "2":
        assistance = rng.uniform(*ALLOWANCE_PER_PERSON) * (n if rng.random() < 0.6 else max(1, n // 2))
    elif attribute == "3":
        assistance = rng.uniform(*SUPPORT_PER_PERSON) * n
    disability = sum(1200 for p in active if p.get("disability_grade") in ("1", "2"))
    subsidies = rng.uniform(200, 900)  # 耕地地力保护补贴 and the like
    transfer = elderly * PENSION_PER_YEAR + assistance + disability + subsidies
    prop = rng.uniform(400, 1500) if rng.random() < 0.7 else 0.0  # 光伏/资产收益分红, land rent
    remaining = target - transfer - prop
    labourers = [p for p in active if p["labour_skill"] in ("1", "2", "3")]
    migrant = any(p["migrant_work_months"] for p in active)
    if remaining > 0:
        wage_share = 0.65 if migrant else 0.2 if labourers else 0.0
        wage = remaining * wage_share
        business_net = remaining - wage
    else:
        wage, business_net = 0.0, rng.uniform(100, 600)
    cost_ratio = rng.uniform(0.35, 0.55)
    business_gross = business_net / (1 - cost_ratio)
    contributions = sum(100 for p in active if p.get("pension_insurance") and _age(p, ref) < 60)
    return {
        "wage_income": _money(wage), "business_income": _money(business_gross), "property_income": _money(prop),
        "transfer_income": _money(transfer + 0.5), "assistance_income": _money(assistance),
        "production_costs": _money(business_gross - business_net),
        "transfer_expenses": _money(contributions + rng.uniform(0, 150)),
    }


def _natural_villages(rng: random.Random, village: Village) -> list[str]:
    stem = village.name.replace("村民委员会", "").replace("村委会", "").replace("村", "")
    names = []
    for _ in range(rng.randint(2, 5)):
        if rng.random() < 0.5:
            names.append(rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0] + "家" + rng.choice(NATURAL_VILLAGE_SUFFIXES))
        else:
            names.append(rng.choice("前后东西南北大小") + stem[:2] + rng.choice(NATURAL_VILLAGE_SUFFIXES))
    return sorted(set(names))


def _allocate(rng: random.Random, villages: list[Village], total: int) -> list[int]:
    weights = [rng.gammavariate(2.0, 1.0) for _ in villages]
    s = sum(weights)
    counts = [max(1, int(total * w / s)) for w in weights] if total >= len(villages) else [0] * len(villages)
    if total < len(villages):
        for i in rng.sample(range(len(villages)), total):
            counts[i] = 1
    diff = total - sum(counts)
    i = 0
    while diff != 0:
        j = i % len(villages)
        if diff > 0:
            counts[j] += 1
            diff -= 1
        elif counts[j] > 1:
            counts[j] -= 1
            diff += 1
        i += 1
    return counts


def generate_households(villages: Iterable[Village], *, households: int, seed: int, year: int
                        ) -> Iterator[tuple[dict, list[dict]]]:
    """Yield (household, members) for `households` households spread over `villages`."""
    villages = sorted(villages, key=lambda v: v.code)
    if not villages:
        return
    g = _Gen(seed, year)
    rng = g.rng
    counts = _allocate(rng, villages, households)
    for village, count in zip(villages, counts, strict=True):
        naturals = _natural_villages(rng, village)
        county = village.code[:6]
        for serial in range(1, count + 1):
            number = f"{village.code}{serial:04d}"
            cause = _weighted(rng, CAUSE_SHARES)
            status = _weighted(rng, g.status_weights)
            kind = g.kind_for(cause)
            people = g.family(kind, county)
            _ethnicity(g, people)
            _health(g, people, cause)
            first_year = _weighted(rng, {2014: 70, 2015: 12, 2016: 8, 2017: 5, 2018: 3, 2019: 2})
            exit_year = None
            if status in ("exited", "returned", "natural_decrease") and g.exit_weights:
                exit_year = _weighted(rng, g.exit_weights)
                first_year = min(first_year, exit_year)
            if status == "returned" and exit_year is None:
                status = "registered"
            first_year = min(first_year, year)
            first_identified = dt.date(first_year, 10, 1) if first_year == 2014 else dt.date(
                first_year, rng.randint(1, 12), rng.randint(1, 28))
            first_identified = min(first_identified, g.ref)
            for i, p in enumerate(people, start=1):
                p["person_number"] = f"{number}{i:02d}"
                p["status"] = "active"
                _schooling_education(g, p)
                _labour(g, p)
                _insurance_contact(g, p, first_identified)
            if status == "natural_decrease":
                gone = "deceased" if kind == "single_elderly" else "moved_out"
                for p in people:
                    p["status"] = gone
            no_labour = not any(p["labour_skill"] in ("1", "2") for p in people)
            attribute = "1"
            if kind == "single_elderly" and no_labour and rng.random() < 0.35:
                attribute = "3"
            elif cause in ("01", "02") and rng.random() < 0.38 or no_labour and rng.random() < 0.5:
                attribute = "2"
            others = []
            if rng.random() < 0.3:
                others = sorted({_weighted(rng, CAUSE_SHARES) for _ in range(rng.randint(1, 2))} - {cause})
            poor = status in ("registered", "expected_exit", "returned")
            grade = _weighted(rng, {"A": 30, "B": 55, "C": 12, "D": 3} if poor else {"A": 55, "B": 44, "C": 1})
            money = _income(g, people, status, attribute)
            active = sum(1 for p in people if p["status"] == "active")
            values = {
                "year": year, "household_number": number, "village": village.code,
                "county_name": village.county_name, "township_name": village.township_name,
                "village_name": village.name, "natural_village": rng.choice(naturals),
                "address": f"{village.township_name}{village.name.replace('村委会', '村')}"
                           f"{rng.choice(naturals)}{rng.randint(1, 180)}号",
                "phone": _mobile(rng) if rng.random() < 0.85 else "",
                "member_count": active,
                "identification_standard": "1" if rng.random() < 0.96 else "2",
                "poverty_attribute": attribute, "main_cause": cause, "other_causes": others,
                "first_identified_on": first_identified, "status": status, "exit_year": exit_year,
                "military_family": rng.random() < 0.01,
                "food_secure": True, "clothing_secure": True,
                "compulsory_education_secured": not poor or rng.random() < 0.97,
                "basic_medical_secured": not poor or rng.random() < 0.97,
                "housing_secured": grade in ("A", "B"),
                "safe_drinking_water": rng.random() < (0.95 if poor else 0.995),
                "housing_grade": grade, "housing_area": Decimal(rng.randint(38, 95)).quantize(income.CENT),
                "household_type": {"exited": "2", "natural_decrease": "2", "removed": "3"}.get(status, "1"),
                "monitoring_type": "", "risk_types": [], "risk_eliminated": None,
                "risk_identified_on": None, "risk_eliminated_on": None,
                **money, **income.compute_income(money, active),
            }
            head = next(p for p in people if p["relation"] == schema.HEAD_RELATION)
            values["head_name"] = head["name"]
            yield values, people


# ------------------------------------------------------------------------------------- writers

def _cell(spec: schema.FieldSpec, value, labels: Callable[[str, str], str]) -> str:
    if value is None or value == "" or value == []:
        return ""
    if spec.type == "code":
        return labels(spec.dictionary, value)
    if spec.type == "codes":
        return "、".join(labels(spec.dictionary, v) for v in value)
    if spec.type == "bool":
        return "是" if value else "否"
    if spec.type == "choice":
        return dict(spec.choices).get(value, value)
    if spec.type == "date":
        return value.isoformat()
    return str(value)


def write_csv(records: Iterable[tuple[dict, list[dict]]], out, *, labels: Callable[[str, str], str],
              progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """One row per person in the national layout plus our columns; returns (households, persons)."""
    columns = schema.export_columns()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    households = persons = 0
    for values, people in records:
        values = {**values, "is_dangerous_house": values.get("housing_grade") in schema.DANGEROUS_HOUSING_GRADES}
        for p in people:
            row = []
            for c in columns:
                source = values if c.entity == schema.HOUSEHOLD else p
                row.append(_cell(c, source.get(c.name), labels))
            writer.writerow(row)
            persons += 1
        households += 1
        if progress:
            progress(households)
    return households, persons
