"""光伏扶贫电站: stations, monthly settlements and reversals (000 L8461「光伏电站的发电收益按县电力公司核算的发电度数和单」).

* The site rent is capped per mu and year by land type (000 L8479「原则上荒山、荒坡和未利用地不超过 1000 元/亩/年，建设用」);
  the caps are `[pack.pv]` of data/funds/rules.toml.
* A settlement is kWh × unit price (incl. the tariff subsidy), less taxes and fees, O&M and site rent
  (000 L8475「在扣除各类税费、运维费用后」); what is left is the revenue allocated to the village.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds.codes import station_code
from fupin.funds.ledger import yuan
from fupin.funds.models import CENT, ZERO, LandType, PVSettlement, PVStation, StationFunding
from fupin.funds.rules import rules_for

from ._common import actor_or_none, allow, as_choice, as_date, as_int, as_money, check_version, owner_area


def as_number(value, label: str, *, places: int = 2, positive: bool = True) -> Decimal:
    """A non-money quantity (kW, kWh, 亩, m²) with at most `places` decimals."""
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except Exception as exc:  # noqa: BLE001 - any unparsable input is the same refusal
        raise ValidationFailed(_("%(f)s“%(v)s”不是有效数字") % {"f": label, "v": value}, code="bad_number") from exc
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise ValidationFailed(_("%(f)s必须大于0：%(v)s") % {"f": label, "v": value}, code="number_not_positive")
    step = Decimal(1).scaleb(-places)
    if number != number.quantize(step):
        raise ValidationFailed(_("%(f)s最多保留%(p)s位小数：%(v)s") % {"f": label, "p": places, "v": value},
                               code="bad_number_precision")
    if number >= Decimal("1e10"):
        raise ValidationFailed(_("%(f)s超出范围：%(v)s") % {"f": label, "v": value}, code="number_too_large")
    return number


def village_area(code: str, what: str) -> Area:
    area = owner_area(code, what=what)
    if area.level != AreaLevel.VILLAGE:
        raise ValidationFailed(_("%(w)s应为行政村，“%(n)s”是%(l)s级区划")
                               % {"w": what, "n": area.name, "l": area.get_level_display()}, code="owner_level")
    return area


def land_rent_cap(area_code: str, year: int, land_type: str) -> tuple[Decimal, str]:
    rules = rules_for(area_code, year)
    key = "land_rent_cap_wasteland" if land_type == LandType.WASTELAND else "land_rent_cap_construction"
    return Decimal(str(rules.pv[key])), rules.sources.get("land_rent_cap", "")


def _check_rent(area_code: str, year: int, land_type: str, rent_per_mu: Decimal) -> None:
    cap, source = land_rent_cap(area_code, year, land_type)
    if rent_per_mu > cap:
        raise ValidationFailed(
            _("场地租金 %(r)s 元/亩/年 超过%(t)s的上限 %(c)s 元/亩/年（%(s)s）")
            % {"r": rent_per_mu, "t": LandType(land_type).label, "c": cap, "s": source},
            code="land_rent_over_cap", details={"rent_per_mu": str(rent_per_mu), "cap": str(cap)})


def _snapshot(s: PVStation) -> dict:
    return {"capacity_kw": str(s.capacity_kw), "land_rent_per_mu": str(s.land_rent_per_mu),
            "land_area_mu": str(s.land_area_mu), "version": s.version}


def station_register(*, actor, village_code: str, name: str, capacity_kw, investment, grid_on, land_type: str,
                     land_area_mu, land_rent_per_mu, funding: str = StationFunding.FISCAL, builder: str = "") -> PVStation:
    """Register a village's station (产权归贫困村); the site rent is checked against the cap."""
    village = village_area(village_code, _("产权村"))
    allow(actor, "funds.edit", village.code)
    name = str(name or "").strip()
    if not name:
        raise ValidationFailed(_("请填写电站名称"), code="required")
    grid_on = as_date(grid_on, _("并网日期"))
    land_type = as_choice(land_type, LandType, _("场地类型"))
    funding = as_choice(funding, StationFunding, _("资金性质"))
    rent = as_money(land_rent_per_mu, _("场地租金"), allow_zero=True)
    rules = rules_for(village.code, grid_on.year)
    _check_rent(village.code, grid_on.year, land_type, rent)
    station = PVStation(village=village, name=name[:100], capacity_kw=as_number(capacity_kw, _("装机容量")),
                        investment=as_money(investment, _("总投资"), allow_zero=True), grid_on=grid_on,
                        land_type=land_type, land_area_mu=as_number(land_area_mu, _("占地面积"), positive=False),
                        land_rent_per_mu=rent, funding=funding, builder=str(builder or "")[:100],
                        rules_pack=rules.pack_id, created_by=actor_or_none(actor), code=f"tmp-{uuid.uuid4().hex[:20]}")
    with transaction.atomic():
        station.save()
        station.code = station_code(village.code, station.pk)
        station.save(update_fields=["code"])
        audit_event(actor=actor, action="funds.pv.station", target=station, area_code=village.code,
                    after=_snapshot(station))
    return station


def station_update(*, actor, station: PVStation, version, land_rent_per_mu=None, land_area_mu=None,
                   capacity_kw=None, builder: str | None = None) -> PVStation:
    """Change the site lease or the capacity; refused when someone else changed the station first."""
    with transaction.atomic():
        s = PVStation.objects.select_for_update().select_related("village").get(pk=station.pk)
        allow(actor, "funds.edit", s.village.code)
        check_version(s, version)
        before = _snapshot(s)
        if land_rent_per_mu is not None:
            s.land_rent_per_mu = as_money(land_rent_per_mu, _("场地租金"), allow_zero=True)
            _check_rent(s.village.code, clock.today().year, s.land_type, s.land_rent_per_mu)
        if land_area_mu is not None:
            s.land_area_mu = as_number(land_area_mu, _("占地面积"), positive=False)
        if capacity_kw is not None:
            s.capacity_kw = as_number(capacity_kw, _("装机容量"))
        if builder is not None:
            s.builder = str(builder)[:100]
        s.version += 1
        s.save()
        audit_event(actor=actor, action="funds.pv.station_update", target=s, area_code=s.village.code, before=before,
                    after=_snapshot(s))
    return s


def _live_settlement(station: PVStation, year: int, month: int) -> PVSettlement | None:
    return (PVSettlement.objects.filter(station=station, year=year, month=month, reverses__isnull=True)
            .exclude(reversed_by__isnull=False).first())


def settlement_record(*, actor, station: PVStation, year, month, kwh, unit_price, taxes=0, om_cost=0, land_rent=0,
                      settled_on, reference: str = "") -> PVSettlement:
    """月度结算 by the county (the settling company's statement): one live entry per station and month."""
    year = as_int(year, _("年度"), low=2000, high=2100)
    month = as_int(month, _("月份"), low=1, high=12)
    settled_on = as_date(settled_on, _("结算日期"))
    if dt.date(year, month, 1) > settled_on:
        raise ValidationFailed(_("结算日期 %(d)s 早于结算月份 %(y)s-%(m)02d") % {"d": settled_on, "y": year, "m": month},
                               code="date_order")
    kwh = as_number(kwh, _("发电量"), positive=False)
    price = as_number(unit_price, _("结算单价"), places=4)
    taxes = as_money(taxes, _("税费"), allow_zero=True)
    om_cost = as_money(om_cost, _("运维费用"), allow_zero=True)
    land_rent = as_money(land_rent, _("场地租金"), allow_zero=True)
    gross = (kwh * price).quantize(CENT)
    net = gross - taxes - om_cost - land_rent
    if net < 0:
        raise ValidationFailed(_("扣除合计 %(d)s 超过发电收益 %(g)s") % {"d": yuan(taxes + om_cost + land_rent),
                                                                      "g": yuan(gross)}, code="deductions_exceed_revenue")
    with transaction.atomic():
        s = PVStation.objects.select_for_update().select_related("village").get(pk=station.pk)
        allow(actor, "funds.approve", s.village.code)
        if _live_settlement(s, year, month):
            raise Conflict(_("%(s)s %(y)s年%(m)s月已结算；如有错误请先冲正") % {"s": s.name, "y": year, "m": month},
                           code="settlement_exists")
        rent_year = (PVSettlement.objects.filter(station=s, year=year).aggregate(t=Sum("land_rent"))["t"] or ZERO)
        rent_allowed = (s.land_area_mu * s.land_rent_per_mu).quantize(CENT)
        if rent_year + land_rent > rent_allowed:
            raise ValidationFailed(
                _("%(y)s年扣除场地租金合计 %(t)s 超过租赁约定 %(a)s（%(mu)s亩 × %(r)s元/亩/年）")
                % {"y": year, "t": yuan(rent_year + land_rent), "a": yuan(rent_allowed), "mu": s.land_area_mu,
                   "r": s.land_rent_per_mu}, code="land_rent_over_lease")
        row = PVSettlement.objects.create(
            station=s, year=year, month=month, kwh=kwh, unit_price=price, gross=gross, taxes=taxes, om_cost=om_cost,
            land_rent=land_rent, net=net, settled_on=settled_on, reference=str(reference or "")[:60],
            created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.pv.settle", target=s, area_code=s.village.code,
                    after={"year": year, "month": month, "kwh": str(kwh), "gross": str(gross), "net": str(net)})
    return row


def settlement_reverse(*, actor, settlement: PVSettlement, reason: str, on=None) -> PVSettlement:
    """冲正: an entry with every amount negated, pointing at the wrong one (once)."""
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写冲正原因"), code="required")
    on = as_date(on or settlement.settled_on, _("冲正日期"))
    with transaction.atomic():
        s = PVSettlement.objects.select_for_update().select_related("station__village").get(pk=settlement.pk)
        allow(actor, "funds.approve", s.station.village.code)
        if s.reverses_id or PVSettlement.objects.filter(reverses=s).exists():
            raise Conflict(_("该结算已冲正或本身是冲正记录"), code="already_reversed")
        row = PVSettlement.objects.create(
            station=s.station, year=s.year, month=s.month, kwh=-s.kwh, unit_price=s.unit_price, gross=-s.gross,
            taxes=-s.taxes, om_cost=-s.om_cost, land_rent=-s.land_rent, net=-s.net, settled_on=max(on, s.settled_on),
            reference=s.reference, reverses=s, reason=reason[:200], created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.pv.settle_reverse", target=s.station, area_code=s.station.village.code,
                    after={"reverses": s.pk, "net": str(-s.net), "reason": reason})
    return row


def village_revenue(village: Area, year: int) -> Decimal:
    """The year's settled revenue of the village's stations (reversals included)."""
    total = PVSettlement.objects.filter(station__village=village, year=year).aggregate(t=Sum("net"))["t"]
    return (total or ZERO).quantize(CENT)
