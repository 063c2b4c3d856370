"""The import's fast path: a batch of households checked column by column.

`screen(reader, blocks)` takes finished household blocks (as `HouseholdReader` collects them) and
returns, for each, its `Staged` rows when the batch checks prove it clean, or None. None sends the
household through the per-record path (`HouseholdReader._household` and `validation.py`), which finds
and words its problems; so the checks here only need to be conservative: whatever they pass,
validation.py would pass too. They never produce a message of their own.

Cells are converted once per distinct value with the reader's own converters (codes, dates and yes/no
answers repeat down a column), and completed with the same rules; the per-row arithmetic (the ID
number's check digit, the income sums per household) runs as Polars expressions. Values written are
exactly those of the per-record path: `tests/registry_io/test_import_vectorised.py` compares both.
"""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

import polars as pl

from fupin.registry import income, schema
from fupin.registry.io.problems import ImportProblem
from fupin.registry.schema import HOUSEHOLD, PERSON
from fupin.registry.validation import _NUMBER_RE, _PHONE_RE, GONE_STATUSES, MAX_AGE, id_birth_date, id_sex

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PERSON_STATUSES = frozenset(dict(schema.PERSON_STATUSES))
_HOUSEHOLD_STATUSES = frozenset(dict(schema.HOUSEHOLD_STATUSES))
_ID_TYPE_BY_LENGTH = {20: schema.ID_TYPE_DISABILITY_20, 22: schema.ID_TYPE_DISABILITY_22}
_PERSON_REQUIRED = ("person_number", "name", "id_type", "id_number", "sex", "birth_date", "relation")
_HOUSEHOLD_DATES = ("first_identified_on", "risk_identified_on", "risk_eliminated_on")
_EMPTY = (None, "", [])
_ZERO = Decimal("0.00")
_NEGATIVE_ZERO = Decimal("-0.00")


def id_check_ok(numbers: list[str]) -> list[bool]:
    """For each 18-character number: ASCII digits (the last may be X) and the GB 11643 check digit
    right. Stricter than validation.py's pattern (which takes any Unicode digit), never looser."""
    s = pl.Series("n", numbers, dtype=pl.String)
    shape = s.str.contains(r"^[0-9]{17}[0-9X]$")
    digits = [s.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(_ID_WEIGHTS)]
    frame = pl.DataFrame({"n": s, "shape": shape})
    checked = frame.select(
        (pl.col("shape") & (pl.sum_horizontal(digits).mod(11).replace_strict(
            dict(enumerate(_ID_CHECK)), default=None, return_dtype=pl.String) == pl.col("n").str.slice(17, 1)))
        .fill_null(False).alias("ok"))
    return checked["ok"].to_list()


def per_capita_cents(net: pl.Expr, members: pl.Expr) -> pl.Expr:
    """round(net ÷ members) to the cent, halves away from zero (Decimal ROUND_HALF_UP); 0 without members."""
    magnitude = (2 * net.abs() + members) // (2 * members)
    return pl.when(members > 0).then(pl.when(net < 0).then(-magnitude).otherwise(magnitude)).otherwise(0)


def income_cents(frame: pl.DataFrame) -> pl.DataFrame:
    """The computed income columns, in cents, from the input columns (cents, null = 0) and `members`."""
    c = {name: pl.col(name).fill_null(0) for name in income.INPUTS}
    total = c["wage_income"] + c["business_income"] + c["property_income"] + c["transfer_income"]
    net = total - c["production_costs"]
    disposable = net - c["transfer_expenses"]
    return frame.select(total.alias("total_income"), net.alias("net_income"),
                        per_capita_cents(net, pl.col("members")).alias("per_capita_net_income"),
                        per_capita_cents(disposable, pl.col("members")).alias("per_capita_disposable_income"),
                        ((net < 0) & (pl.col("members") > 0)).alias("net_negative"),
                        ((disposable < 0) & (pl.col("members") > 0)).alias("disposable_negative"))


def _money(cents: int, negative: bool = False) -> Decimal:
    if cents == 0:
        return _NEGATIVE_ZERO if negative else _ZERO  # (-0.01 / 3).quantize(...) is Decimal("-0.00")
    return Decimal(cents).scaleb(-2)


def _cents(value) -> int | None:
    return None if value is None else int(value.scaleb(2))


def _convert(entries, rows: list[list[str]], bad: bytearray) -> dict[str, list]:
    """Column by column, each distinct cell once, through the reader's converters (the same values and
    problems as `HouseholdReader._parse`); rows with a problem are marked in `bad`."""
    out = {}
    columns = list(zip(*rows, strict=True))
    for index, name, plain, cache, conv in entries:
        raws = columns[index]
        if plain:
            out[name] = list(map(str.strip, raws))
            continue
        hits = {}
        for raw in set(raws):
            hit = cache.get(raw)
            hits[raw] = conv(raw) if hit is None else hit
        out[name] = list(map({raw: hit[0] for raw, hit in hits.items()}.__getitem__, raws))
        wrong = {r for r, hit in hits.items() if hit[1]}
        if wrong:
            for i, raw in enumerate(raws):
                if raw in wrong:
                    bad[i] = 1
    return out


def _codes_ok(entity: str, values: dict[str, list], codes, bad: bytearray) -> None:
    for spec in schema.fields_of(entity, derived=False):
        column = values.get(spec.name)
        if spec.type not in ("code", "codes") or column is None:
            continue
        known = codes.lists.get(spec.dictionary, {})
        for i, v in enumerate(column):
            for item in (v if isinstance(v, list | tuple) else (v,)):
                if item not in (None, "") and item not in known:
                    bad[i] = 1


def _candidates(reader, blocks) -> list[int]:
    """Blocks whose rows are whole and agree on the household columns; the rest go the per-record way."""
    width, known, pick, ignored = reader.width, reader.known, reader.h_pick, reader.layout.ignored
    out = []
    for k, (hn, block) in enumerate(blocks):
        if not hn:
            continue
        key = pick(block[0][1])
        if all(len(cells) == width and row not in known and pick(cells) == key
               and not any(cells[i].strip() for i in ignored) for row, cells in block):
            out.append(k)
    return out


def screen(reader, blocks: list[tuple[str, list[tuple[int, list]]]]) -> list:
    """For each block (户编号, [(row, cells)]): its `Staged` rows if proved clean, else None."""
    # A batch allocates many small objects and frees none of them in a cycle: the collector's
    # passes over the rows read so far would only cost time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _screen(reader, blocks)
    finally:
        if enabled:
            gc.enable()


def _screen(reader, blocks) -> list:
    from fupin.registry.io.records import _H_DEFAULTS, _JSON, _P_DEFAULTS, Staged, _json

    result: list = [None] * len(blocks)
    chosen = _candidates(reader, blocks)
    if not chosen:
        return result
    layout, ctx = reader.layout, reader.ctx
    year, year_end = ctx.year, dt.date(ctx.year, 12, 31)
    firsts = [blocks[k][1][0][1] for k in chosen]
    rows = [cells for k in chosen for _row, cells in blocks[k][1]]
    owner = [h for h, k in enumerate(chosen) for _ in blocks[k][1]]
    h_bad, p_bad = bytearray(len(firsts)), bytearray(len(rows))
    hv = _convert(reader.h_conv, firsts, h_bad)
    pv = _convert(reader.p_conv, rows, p_bad)
    n_p = len(rows)

    # ---- persons: completed as HouseholdReader._complete_person does, then checked
    ids = [str(v or "").strip().upper() for v in pv.get("id_number", [None] * n_p)]
    given_type = pv.get("id_type", [None] * n_p)
    pv["id_number"] = ids
    pv["id_type"] = [t if t else _ID_TYPE_BY_LENGTH.get(len(n), schema.ID_TYPE_RESIDENT)
                     for t, n in zip(given_type, ids, strict=True)]
    check_ok = id_check_ok([n[:18] for n in ids])
    from_id = [id_birth_date(n) if ok else None for n, ok in zip(ids, check_ok, strict=True)]
    births = pv.get("birth_date", [None] * n_p)
    sexes = pv.get("sex", [None] * n_p)
    for i in range(n_p):
        if not check_ok[i]:
            p_bad[i] = 1  # wrong or another kind of number (the per-record path derives and words it)
            continue
        if not births[i]:
            births[i] = from_id[i]
        if not sexes[i]:
            sexes[i] = id_sex(ids[i])
    pv["birth_date"], pv["sex"] = births, sexes
    pv["status"] = [s if s else "active" for s in pv.get("status", [None] * n_p)]
    pv["migrant_work_months"] = [0 if m in (None, "") else m for m in pv.get("migrant_work_months", [None] * n_p)]
    for name in _PERSON_REQUIRED:
        column = pv.get(name)
        for i in range(n_p):
            if column is None or column[i] in _EMPTY:
                p_bad[i] = 1
    _codes_ok(PERSON, pv, ctx.codes, p_bad)
    identified = pv.get("identified_on", [None] * n_p)
    phones = pv.get("phone", [None] * n_p)
    for i in range(n_p):
        if p_bad[i]:
            continue
        n, birth, id_type = ids[i], births[i], pv["id_type"][i]
        if ((id_type != schema.ID_TYPE_RESIDENT and not _disability_ok(n, id_type, pv, i))
                or len(n) != schema.ID_LENGTHS.get(id_type) or birth != from_id[i]
                or sexes[i] != id_sex(n) or birth > year_end or year - birth.year > MAX_AGE
                or not 0 <= int(pv["migrant_work_months"][i]) <= 12 or (identified[i] and identified[i] > year_end)
                or (phones[i] and not _PHONE_RE.match(phones[i].strip())) or pv["status"][i] not in _PERSON_STATUSES):
            p_bad[i] = 1
    for name, _column, limit, _label in reader.p_limits:
        for i, v in enumerate(pv.get(name, ())):
            if isinstance(v, str) and len(v) > limit:
                p_bad[i] = 1

    # ---- members together (validate_members, member count, 户主姓名)
    n_h = len(firsts)
    numbers = pv.get("person_number", [""] * n_p)
    relations = pv.get("relation", [None] * n_p)
    on = pl.col("active") & pl.col("head")
    members = pl.DataFrame({
        "h": owner, "bad": list(p_bad), "active": [s == "active" for s in pv["status"]],
        "head": [r == schema.HEAD_RELATION for r in relations], "id": ids, "name": pv["name"],
        "number": [str(x or "").strip().upper() for x in numbers]}).group_by("h").agg(
        pl.col("bad").max(), pl.col("active").sum(), on.sum().alias("heads"),
        (pl.col("id").is_duplicated().any() | pl.col("number").is_duplicated().any()).alias("twice"),
        pl.col("name").filter(on).first().alias("head_name")).sort("h")
    active = members["active"].to_list()
    heads = members["heads"].to_list()
    head_of = members["head_name"].to_list()
    for h, (bad, twice) in enumerate(zip(members["bad"].to_list(), members["twice"].to_list(), strict=True)):
        if bad or twice:
            h_bad[h] = 1

    # ---- households (validate_household, validate_income, the importer's own checks)
    hns = [blocks[k][0] for k in chosen]
    given_count = hv.get("member_count", [None] * n_h)
    types = hv.get("household_type", [None] * n_h)
    hv["status"] = [s if s else _status_from_type(t) for s, t in zip(hv.get("status", [None] * n_h), types, strict=True)]
    villages = _villages(reader, hv, hns, h_bad)
    _codes_ok(HOUSEHOLD, hv, ctx.codes, h_bad)
    file_years = hv.get("year") if "year" in layout.household else None
    head_names = hv.get("head_name")
    dangerous = hv.get("is_dangerous_house")
    grades = hv.get("housing_grade") if "housing_grade" in layout.household else None
    exit_years = hv.get("exit_year", [None] * n_h)
    h_phones = hv.get("phone", [None] * n_h)
    for h in range(n_h):
        if h_bad[h]:
            continue
        village = villages[h]
        counted = active[h] or hv["status"][h] not in GONE_STATUSES  # as validate_record
        if (not _NUMBER_RE.match(hns[h]) or (counted and heads[h] != 1) or hv["status"][h] not in _HOUSEHOLD_STATUSES
                or (given_count[h] not in (None, "") and int(given_count[h]) != active[h])
                or (exit_years[h] not in (None, "") and not 2013 <= int(exit_years[h]) <= year)
                or (file_years is not None and file_years[h] not in (None, "") and file_years[h] != year)
                or (h_phones[h] and not _PHONE_RE.match(h_phones[h].strip()))):
            h_bad[h] = 1
            continue
        days = [hv[name][h] if name in hv else None for name in _HOUSEHOLD_DATES]
        if any(d and d > year_end for d in days) or (days[1] and days[2] and days[2] < days[1]):
            h_bad[h] = 1
        elif head_names is not None and head_names[h] and heads[h] == 1 and head_of[h] != head_names[h]:
            h_bad[h] = 1
        elif (dangerous is not None and dangerous[h] is not None and grades is not None and grades[h]
              and dangerous[h] != (grades[h] in schema.DANGEROUS_HOUSING_GRADES)):
            h_bad[h] = 1
        elif village.code[:6] + "000000" in ctx.frozen_counties:
            h_bad[h] = 1
    for name, _column, limit, _label in reader.h_limits:
        for h, v in enumerate(hv.get(name, ())):
            if isinstance(v, str) and len(v) > limit:
                h_bad[h] = 1
    for name, _column, bound, _label in reader.h_money:
        for h, v in enumerate(hv.get(name, ())):
            if v is not None and abs(v) >= bound:
                h_bad[h] = 1
    area = hv.get("housing_area")
    if area is not None:
        for h, v in enumerate(area):
            if v not in (None, "") and v < 0:
                h_bad[h] = 1
    computed = _income(hv, active, h_bad)

    # ---- the staging rows of the clean households, as HouseholdReader._staged builds them
    hv["member_count"] = active
    hv.update(computed)
    h_columns = [[_json(v) for v in hv[name]] if name in _JSON and name in hv else
                 ["[]"] * n_h if name in _JSON else
                 [default if v is None else v for v in hv[name]] if name in hv else [default] * n_h
                 for name, default in _H_DEFAULTS]
    p_columns = [[default if v is None else v for v in pv[name]] if name in pv else [default] * n_p
                 for name, default in _P_DEFAULTS]
    person_rows = list(zip(*p_columns, strict=True)) if p_columns else [()] * n_p
    household_rows = list(zip(*h_columns, strict=True))
    i = 0
    for h, k in enumerate(chosen):
        hn, block = blocks[k]
        size = len(block)
        if not h_bad[h]:
            persons = [(block[j][0], hn, numbers[i + j], *person_rows[i + j]) for j in range(size)]
            result[k] = Staged((block[0][0], block[-1][0], hn, villages[h].pk, *household_rows[h]), persons)
        i += size
    return result


def _disability_ok(number: str, id_type: str, pv: dict[str, list], i: int) -> bool:
    """A disability card number (the resident ID, then category and grade digits) that validation.py
    passes, with the category and grade columns agreeing with it."""
    tail = number[18:]
    if len(number) != schema.ID_LENGTHS.get(id_type) or not tail or not all("0" <= c <= "9" for c in tail):
        return False
    if not ("1" <= tail[0] <= "7" and "1" <= tail[1] <= "4"):
        return False
    return all(not (given := pv.get(name, [None] * (i + 1))[i]) or given == digit
               for name, digit in (("disability_category", tail[0]), ("disability_grade", tail[1])))


def _status_from_type(household_type) -> str:
    from fupin.registry.io.records import _STATUS_FROM_TYPE

    return _STATUS_FROM_TYPE.get(household_type or "", "candidate")


def _villages(reader, hv: dict[str, list], hns: list[str], bad: bytearray) -> list:
    """The village of each household (by code, or by its names as the national layout gives it), once
    per distinct value through the reader's own lookup; unresolved ones are marked bad."""
    ctx, layout = reader.ctx, reader.layout
    n = len(hns)
    by_code = "village" in layout.household
    names = ("village",) if by_code else ("village_name", "township_name", "county_name")
    keys = list(zip(*[hv.get(name, [None] * n) for name in names], strict=True))
    found: dict[tuple, tuple] = {}
    for key in set(keys):
        values = dict(zip(names, key, strict=True))
        problems: list[ImportProblem] = []
        info = reader._village(values, 0, problems, "")
        code = str(values.get("village") or "")
        ok = (info is not None and not problems and code.isdigit() and len(code) == 12
              and (ctx.allowed_prefixes is None or any(code.startswith(p) for p in ctx.allowed_prefixes)))
        found[key] = (info if ok else None, code)
    out = []
    for h, key in enumerate(keys):
        info, _code = found[key]
        if info is None:
            bad[h] = 1
        out.append(info)
    return out


def _income(hv: dict[str, list], active: list[int], bad: bytearray) -> dict[str, list]:
    """validate_income's checks (made exact: a computed figure given must equal the computed one) and
    the computed columns as income.compute_income gives them, when the file has the income columns."""
    if not all(name in hv for name in income.INPUTS):
        return {}
    data = {name: [_cents(v) for v in hv[name]] for name in income.INPUTS}
    data["members"] = active
    frame = pl.DataFrame(data, schema={**{name: pl.Int64 for name in income.INPUTS}, "members": pl.Int64})
    computed = income_cents(frame)
    out: dict[str, list] = {}
    negative = {"per_capita_net_income": computed["net_negative"].to_list(),
                "per_capita_disposable_income": computed["disposable_negative"].to_list()}
    for name in income.COMPUTED:
        cents = computed[name].to_list()
        signs = negative.get(name, [False] * len(cents))
        out[name] = [_money(c, s) for c, s in zip(cents, signs, strict=True)]
        given = hv.get(name)
        if given is not None:
            for h, (g, c) in enumerate(zip(given, cents, strict=True)):
                if g not in (None, "") and _cents(g) != c:
                    bad[h] = 1
    for h in range(len(active)):
        values = [data[name][h] for name in income.INPUTS]
        if any(v is not None and v < 0 for v in values) or (data["assistance_income"][h] or 0) > (
                data["transfer_income"][h] or 0):
            bad[h] = 1
    return out
