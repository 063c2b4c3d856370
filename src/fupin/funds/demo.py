"""Demo data for the funds context in Zhangwu (彰武县): library projects at every step, the fund ledger,
assets with leases and an operation contract, equity investments, rent and dividends (one of each late),
and an approved income distribution to households of 富有村委会.

`demo_funds()` is idempotent: it does nothing when the county already has projects. It runs as the
system (actor None) and goes through the same services as people do, so every row is audited.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fupin.funds import services as svc
from fupin.funds.models import Project
from fupin.registry.models import Household, HouseholdStatus

COUNTY = "210922"
FUYOU, HUANGHUASHAN, LIUSHU = "210922101202", "210922101203", "210922101204"
HARTAO = "210922101"  # 哈尔套镇
ZHANGGUTAI_VILLAGE, HONGFENG = "210922102200", "210922102201"
SHUANGMIAO_VILLAGE = "210922109200"
D = dt.date


def _library(project, *, meeting: dt.date, days_to_review=5):
    reviewed = meeting + dt.timedelta(days=days_to_review)
    project = svc.project_township_review(actor=None, project=project, on=reviewed)
    project = svc.project_publicise(actor=None, project=project, starts_on=reviewed + dt.timedelta(days=1))
    return svc.project_approve(actor=None, project=project, on=project.publicity_to + dt.timedelta(days=1))


def _allocate_all(project, on: dt.date, reference: str):
    for fund in project.funds.all():
        svc.allocation_post(actor=None, project=project, source=fund.source, amount=fund.amount, on=on,
                            reference=reference)


def _pay(project, on: dt.date, share: str, reference: str):
    from decimal import Decimal

    for fund in project.funds.all():
        svc.disbursement_post(actor=None, project=project, source=fund.source,
                              amount=(fund.amount * Decimal(share)).quantize(Decimal("0.01")), on=on, reference=reference)


def demo_projects() -> dict[str, Project]:
    p = {}
    # 富有村: facility cherries, the whole way to county acceptance and full payment.
    cherry = svc.project_create(
        actor=None, area_code=FUYOU, category="planting", mode="household", year=2020, catalogue_code="11",
        village_meeting_on=D(2020, 1, 8), funds={"central": "600000", "province": "300000", "integrated": "100000"},
        scale="30", scale_unit="栋", content="新建设施樱桃暖棚30栋，每栋占地1亩，由建档立卡户自营",
        expected_benefit="盛果期每栋年纯收入约1.2万元", linkage="到户自营＋合作社技术托管、统一销售",
        households_driven=30, persons_driven=71, income_gain_per_capita="1650")
    cherry = _library(cherry, meeting=D(2020, 1, 8))
    _allocate_all(cherry, D(2020, 2, 3), "彰财指〔2020〕12号")
    svc.project_report_progress(actor=None, project=cherry, percent=45, on=D(2020, 3, 10))
    svc.project_report_progress(actor=None, project=cherry, percent=80, on=D(2020, 4, 2))
    _pay(cherry, D(2020, 4, 8), "0.5", "拨付凭证2020-041")
    svc.project_complete(actor=None, project=cherry, on=D(2020, 4, 28))
    _pay(cherry, D(2020, 5, 12), "0.5", "拨付凭证2020-077")
    svc.project_accept(actor=None, project=cherry, on=D(2020, 5, 20))
    p["cherry"] = svc.project_accept(actor=None, project=cherry, on=D(2020, 6, 5))

    # 富有村: cattle, allocated and at 60% — nothing payable yet under the 50%-at-80% rule.
    cattle = svc.project_create(
        actor=None, area_code=FUYOU, category="breeding", mode="household", year=2020, catalogue_code="22",
        village_meeting_on=D(2020, 2, 14), funds={"central": "480000", "county": "120000"}, scale="120",
        scale_unit="头", content="为40户建档立卡户每户购买基础母牛3头", households_driven=40, persons_driven=93,
        income_gain_per_capita="1200", linkage="到户饲养，县畜牧中心提供防疫")
    cattle = _library(cattle, meeting=D(2020, 2, 14))
    _allocate_all(cattle, D(2020, 3, 16), "彰财指〔2020〕19号")
    p["cattle"] = cattle
    svc.project_report_progress(actor=None, project=cattle, percent=60, on=D(2020, 5, 6))

    # 黄花山村: apples, past 80% with half paid.
    apples = svc.project_create(
        actor=None, area_code=HUANGHUASHAN, category="forestry", mode="household", year=2020, catalogue_code="16",
        village_meeting_on=D(2020, 1, 15), funds={"central": "300000", "paired": "100000"}, scale="200",
        scale_unit="亩", content="栽植寒富苹果200亩", households_driven=25, persons_driven=58,
        income_gain_per_capita="900")
    apples = _library(apples, meeting=D(2020, 1, 15))
    _allocate_all(apples, D(2020, 2, 20), "彰财指〔2020〕15号")
    svc.project_report_progress(actor=None, project=apples, percent=85, on=D(2020, 4, 20))
    _pay(apples, D(2020, 4, 27), "0.5", "拨付凭证2020-066")
    p["apples"] = apples

    # 哈尔套镇: a township-run workshop on special funds only (a finding of the risk report).
    workshop = svc.project_create(
        actor=None, area_code=HARTAO, category="other", mode="township_village", year=2020, name="哈尔套镇扶贫车间",
        village_meeting_on=D(2020, 1, 20), funds={"central": "150000", "county": "50000"}, scale="260",
        scale_unit="平方米", content="改造闲置厂房260平方米为扶贫车间，吸纳贫困劳动力就业",
        expected_benefit="收益率不低于8%", households_driven=18, persons_driven=18, income_gain_per_capita="3000")
    workshop = _library(workshop, meeting=D(2020, 1, 20))
    svc.allocation_post(actor=None, project=workshop, source="central", amount="150000", on=D(2020, 3, 2),
                        reference="彰财指〔2020〕17号")
    p["workshop"] = workshop

    # 章古台村: 2019 potatoes, accepted and fully paid.
    potato = svc.project_create(
        actor=None, area_code=ZHANGGUTAI_VILLAGE, category="planting", mode="household", year=2019,
        catalogue_code="4", village_meeting_on=D(2019, 1, 10), funds={"central": "200000", "city": "50000"},
        scale="250", scale_unit="亩", content="马铃薯种植250亩", households_driven=52, persons_driven=120,
        income_gain_per_capita="650")
    potato = _library(potato, meeting=D(2019, 1, 10))
    _allocate_all(potato, D(2019, 2, 18), "彰财指〔2019〕8号")
    svc.project_report_progress(actor=None, project=potato, percent=80, on=D(2019, 4, 1))
    _pay(potato, D(2019, 4, 10), "0.5", "拨付凭证2019-031")
    svc.project_complete(actor=None, project=potato, on=D(2019, 4, 26))
    _pay(potato, D(2019, 5, 9), "0.5", "拨付凭证2019-058")
    svc.project_accept(actor=None, project=potato, on=D(2019, 5, 15))
    p["potato"] = svc.project_accept(actor=None, project=potato, on=D(2019, 5, 30))

    # Applications still on their way into the library.
    p["mushroom"] = svc.project_create(
        actor=None, area_code=LIUSHU, category="planting", mode="household", year=2020, catalogue_code="6",
        village_meeting_on=D(2020, 5, 11), funds={"central": "180000"}, scale="12", scale_unit="栋",
        content="食用菌大棚12栋", households_driven=12, persons_driven=29, income_gain_per_capita="1000")
    pv = svc.project_create(
        actor=None, area_code=SHUANGMIAO_VILLAGE, category="other", mode="collective", year=2020,
        name="双庙村村级光伏扶贫电站", village_meeting_on=D(2020, 5, 6),
        funds={"central": "1500000", "integrated": "600000"}, scale="300", scale_unit="千瓦",
        content="建设地面分布式光伏电站300千瓦", households_driven=60, persons_driven=140)
    pv = svc.project_township_review(actor=None, project=pv, on=D(2020, 5, 12))
    p["pv"] = svc.project_publicise(actor=None, project=pv, starts_on=D(2020, 5, 13))
    p["office"] = svc.project_create(
        actor=None, area_code=HONGFENG, category="other", mode="collective", year=2020, name="宏丰村村部办公楼维修",
        village_meeting_on=D(2020, 5, 20), funds={"county": "80000"}, content="村部办公楼屋面及门窗维修")
    return p


def demo_assets(projects: dict[str, Project]) -> dict:
    out = {}
    greenhouse = svc.asset_register(
        actor=None, area_code=FUYOU, name="富有村樱桃暖棚", asset_type="operating", subtype="base",
        acquisition="self_built", acquired_on=D(2018, 8, 1), funded_year=2018, useful_life_years=10,
        condition="sound", funds={"central": "400000", "strong_village": "100000"}, custodian="富有村股份经济合作社",
        custodian_person="刘丽", scale="10", scale_unit="栋", user_party="彰武县富民樱桃专业合作社",
        beneficiary_party="富有村集体及建档立卡户")
    greenhouse = svc.asset_confirm(actor=None, asset=greenhouse, on=D(2019, 1, 10))
    lease = svc.contract_propose(actor=None, asset=greenhouse, kind="lease", counterparty="彰武县富民樱桃专业合作社",
                                 term_years=3, starts_on=D(2019, 3, 1), annual_amount="50000",
                                 decided_on=D(2019, 2, 1))
    lease = svc.contract_file(actor=None, contract=lease, on=D(2019, 2, 10))
    svc.income_receive(actor=None, contract=lease, period_year=2019, amount="50000", received_on=D(2019, 3, 4),
                       reference="收据0019")
    svc.income_receive(actor=None, contract=lease, period_year=2020, amount="50000", received_on=D(2020, 3, 9),
                       reference="收据0027")
    svc.income_receive(actor=None, contract=lease, period_year=2021, amount="30000", received_on=D(2021, 6, 2),
                       reference="收据0041", note="合作社受灾，先交3万元")
    out["greenhouse"] = greenhouse

    office = svc.asset_register(
        actor=None, area_code=FUYOU, name="富有村村部", asset_type="public", subtype="village_office",
        acquisition="self_built", acquired_on=D(2017, 10, 15), funded_year=2017, useful_life_years=30,
        condition="good", funds={"paired": "600000"}, custodian="富有村村民委员会", scale="320", scale_unit="平方米")
    out["office"] = svc.asset_confirm(actor=None, asset=office, on=D(2018, 3, 1))

    square = svc.asset_register(
        actor=None, area_code=HUANGHUASHAN, name="黄花山村文化广场", asset_type="public", subtype="culture_square",
        acquisition="self_built", acquired_on=D(2018, 9, 1), funded_year=2018, useful_life_years=20,
        condition="fairly_good", funds={"paired": "100000"}, custodian="黄花山村村民委员会", scale="1500",
        scale_unit="平方米")
    out["square"] = svc.asset_confirm(actor=None, asset=square, on=D(2019, 1, 10))

    pv = svc.asset_register(
        actor=None, area_code=HARTAO, name="哈尔套镇联村光伏扶贫电站", asset_type="operating", subtype="pv_station",
        acquisition="purchase", acquired_on=D(2017, 12, 20), funded_year=2017, useful_life_years=25,
        condition="good", funds={"central": "2000000", "province": "400000"}, custodian="哈尔套镇人民政府",
        scale="600", scale_unit="千瓦", beneficiary_party="哈尔套镇各贫困村")
    pv = svc.asset_confirm(actor=None, asset=pv, on=D(2018, 3, 15))
    operation = svc.contract_propose(actor=None, asset=pv, kind="operation", counterparty="彰武县中天农业发展有限公司",
                                     term_years=20, starts_on=D(2018, 4, 1), annual_amount="180000",
                                     decided_on=D(2018, 3, 20), first_due_on=D(2018, 12, 31))
    svc.contract_file(actor=None, contract=operation, on=D(2018, 3, 25))
    operation = svc.contract_file(actor=None, contract=operation, on=D(2018, 3, 28))
    for year, amount, on in ((2018, "180000", D(2019, 1, 15)), (2019, "180000", D(2020, 1, 10)),
                             (2020, "180000", D(2021, 1, 12)), (2021, "180000", D(2022, 1, 14))):
        svc.income_receive(actor=None, contract=operation, period_year=year, amount=amount, received_on=on)
    out["pv"] = pv

    irrigation = svc.asset_register(
        actor=None, area_code=ZHANGGUTAI_VILLAGE, name="章古台村节水灌溉工程", asset_type="public", subtype="irrigation",
        acquisition="self_built", acquired_on=D(2019, 6, 30), funded_year=2019, useful_life_years=15,
        condition="good", funds={"county": "350000"}, custodian="章古台村村民委员会", scale="800", scale_unit="亩",
        project=projects.get("potato"))
    out["irrigation"] = svc.asset_confirm(actor=None, asset=irrigation, on=D(2019, 8, 1))

    cattle_coop = svc.equity_register(
        actor=None, area_code=FUYOU, year=2018, investee="彰武县牧原养牛专业合作社", direction="cooperative",
        business="养牛", funds={"province": "200000"}, term_years=3, starts_on=D(2018, 8, 1), annual_dividend="20000",
        decided_on=D(2018, 7, 5), township_filed_on=D(2018, 7, 20))
    svc.income_receive(actor=None, equity=cattle_coop, period_year=2019, amount="20000", received_on=D(2019, 8, 6))
    svc.income_receive(actor=None, equity=cattle_coop, period_year=2020, amount="5000", received_on=D(2020, 8, 12),
                       note="受市场影响，分红不足")
    out["cattle_coop"] = cattle_coop
    out["food_company"] = svc.equity_register(
        actor=None, area_code=HARTAO, year=2019, investee="彰武县禾丰食品有限公司", direction="enterprise",
        business="肉鸡屠宰加工", funds={"central": "1000000"}, term_years=5, starts_on=D(2019, 6, 1),
        annual_dividend="80000", decided_on=D(2019, 5, 10), township_filed_on=D(2019, 5, 20))
    for year, on in ((2020, D(2020, 6, 5)), (2021, D(2021, 6, 3)), (2022, D(2022, 6, 8)), (2023, D(2023, 6, 2))):
        svc.income_receive(actor=None, equity=out["food_company"], period_year=year, amount="80000", received_on=on)
    return out


def demo_distribution():
    """富有村's 2020 rent and dividend (55,000) distributed to eight registered households and uses."""
    households = list(Household.objects.filter(village__code=FUYOU, status__in=[
        HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, HouseholdStatus.EXPECTED_EXIT]).order_by(
        "-year", "household_number")[:8])
    if len(households) < 8:
        return None  # the registry has not been generated: the plan needs real households
    lines = [{"kind": "household", "household": h.pk, "amount": "3500", "note": "差异化分配"} for h in households]
    lines += [{"kind": "collective", "village": FUYOU, "amount": "12000", "note": "村集体经济积累"},
              {"kind": "public_welfare", "village": FUYOU, "amount": "6000", "note": "设置村内保洁公益岗位2个"},
              {"kind": "reserve", "village": FUYOU, "amount": "5000", "note": "留有余地，用于风险防范"}]
    plan = svc.plan_create(actor=None, area_code=FUYOU, year=2020, title="富有村2020年扶贫资产收益分配方案",
                           income_total="54000", lines=lines)
    plan = svc.plan_decide(actor=None, plan=plan, on=D(2020, 11, 20))
    plan = svc.plan_publicise(actor=None, plan=plan, on=D(2020, 11, 21))
    plan = svc.plan_review(actor=None, plan=plan, on=D(2020, 11, 30))
    plan = svc.plan_approve(actor=None, plan=plan, on=D(2020, 12, 4))
    return svc.plan_pay(actor=None, plan=plan, on=D(2020, 12, 15))


def demo_funds() -> dict:
    """Create the funds demo for Zhangwu unless the county already has projects; the PV, job, microcredit
    and workshop demo (demo_programs) has its own check."""
    from fupin.funds.demo_programs import demo_programs

    programs = demo_programs()
    if Project.objects.filter(area__code__startswith=COUNTY).exists():
        return {"created": False, "programs": programs}
    with transaction.atomic():
        projects = demo_projects()
        assets = demo_assets(projects)
        plan = demo_distribution()
    return {"created": True, "projects": len(projects), "assets": len(assets), "plan": plan.code if plan else None,
            "programs": programs}
