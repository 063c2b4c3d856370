"""The import's fast path: a batch of households checked column by column, as Polars expressions.

`screen(reader, frame)` takes the rows of whole households (String columns `c0`, `c1`, … as in the file,
"" for an empty cell, and `row`, the row number) and returns the staging rows of the households it
proves clean, as two frames in the staging tables' column order, and the household runs it could not
prove clean. Those go through the per-record path (`HouseholdReader._household` and `validation.py`),
which finds and words their problems; so the checks here only need to be conservative: whatever they
pass, validation.py passes too. They never produce a message of their own.

Cells are converted with the reader's own converters, once per distinct value (codes, dates and yes/no
answers repeat down a column); free text is stripped and amounts of the plain form 1234.50 are read
as cents by Polars. Every check of the per-record path is an expression over the whole batch. Values
written are exactly those of the per-record path: `tests/registry_io/test_import_vectorised.py`
compares both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from fupin.registry import income, schema
from fupin.registry.schema import HOUSEHOLD, PERSON
from fupin.registry.validation import GONE_STATUSES, MAX_AGE

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PERSON_REQUIRED = ("person_number", "name", "id_type", "id_number", "sex", "birth_date", "relation")
_HOUSEHOLD_DATES = ("first_identified_on", "risk_identified_on", "risk_eliminated_on")
# The plain forms Polars reads exactly as the converters do (stricter than validation.py's patterns:
# ASCII digits only), so anything else goes the converters' way.
_PLAIN_MONEY = r"^-?[0-9]{1,12}\.[0-9]{2}$"
_PLAIN_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_PHONE = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"
_NUMBER = r"^[0-9A-Za-z-]{1,30}$"
_DTYPES = {"int": pl.Int64, "date": pl.Date, "bool": pl.Boolean, "choice": pl.String, "code": pl.String}
_STATUS_FROM_TYPE = {"1": "registered", "2": "exited"}
_MONEY = frozenset(f.name for f in schema.fields_of(HOUSEHOLD) if f.type == "decimal") | set(income.COMPUTED)


@dataclass
class Screened:
    households: pl.DataFrame  # staging rows of the clean households
    persons: pl.DataFrame
    others: list[int]  # runs (`_h`) that go the per-record way


# ------------------------------------------------------------------------------------ arithmetic

def id_check(number: pl.Expr) -> pl.Expr:
    """True where the first 18 characters are 17 ASCII digits and the right GB 11643 check character.
    Stricter than validation.py's pattern (which takes any Unicode digit), never looser."""
    n = number.str.slice(0, 18)
    body = n.str.slice(0, 17).cast(pl.Int64, strict=False)
    total = pl.sum_horizontal([(body // 10 ** (16 - i)) % 10 * w for i, w in enumerate(_ID_WEIGHTS)])
    check = total.mod(11).replace_strict(dict(enumerate(_ID_CHECK)), default=None, return_dtype=pl.String)
    return (n.str.contains(r"^[0-9]{17}[0-9X]$") & (check == n.str.slice(17, 1))).fill_null(False)


def id_check_ok(numbers: list[str]) -> list[bool]:
    return pl.select(id_check(pl.Series("n", numbers, dtype=pl.String))).to_series().to_list()


def per_capita_cents(net: pl.Expr, members: pl.Expr) -> pl.Expr:
    """round(net ÷ members) to the cent, halves away from zero (Decimal ROUND_HALF_UP); 0 without members."""
    magnitude = (2 * net.abs() + members) // (2 * members)
    return pl.when(members > 0).then(pl.when(net < 0).then(-magnitude).otherwise(magnitude)).otherwise(0)


def income_cents(frame: pl.DataFrame) -> pl.DataFrame:
    """The computed income columns, in cents, from the input columns (cents, null = 0) and `members`."""
    return frame.select(**_income_exprs(pl.col("members")))


def _income_exprs(members: pl.Expr) -> dict[str, pl.Expr]:
    c = {name: pl.col(name).fill_null(0) for name in income.INPUTS}
    total = c["wage_income"] + c["business_income"] + c["property_income"] + c["transfer_income"]
    net = total - c["production_costs"]
    disposable = net - c["transfer_expenses"]
    return {"total_income": total, "net_income": net,
            "per_capita_net_income": per_capita_cents(net, members),
            "per_capita_disposable_income": per_capita_cents(disposable, members),
            "net_negative": (net < 0) & (members > 0), "disposable_negative": (disposable < 0) & (members > 0)}


def money_text(cents: pl.Expr, negative_zero: pl.Expr | None = None) -> pl.Expr:
    """Cents as the text of the Decimal the per-record path writes ("-12.30"; "-0.00" where a negative
    amount per person rounds to zero, as Decimal's quantize gives it)."""
    magnitude = cents.abs()
    text = pl.format("{}.{}", magnitude // 100, (magnitude % 100).cast(pl.String).str.zfill(2))
    negative = cents < 0
    if negative_zero is not None:
        negative = negative | ((cents == 0) & negative_zero)
    return pl.when(cents.is_null()).then(None).when(negative).then("-" + text).otherwise(text)


# ----------------------------------------------------------------------------------- conversion

def _typed(frame: pl.DataFrame, entries) -> tuple[dict[str, pl.Series], pl.Series]:
    """Each column of `entries` (the reader's converters) as a typed Series (amounts in cents), and a
    Boolean Series marking the rows where a converter found a problem."""
    out: dict[str, pl.Series] = {}
    bad = pl.Series("bad", [False] * frame.height)
    for index, name, plain, cache, conv in entries:
        raw = frame.get_column(f"c{index}")
        if plain:
            out[name] = raw.str.strip_chars()
            continue
        kind = conv.spec.type
        fast = _fast(raw, kind)
        slow = raw.filter(fast.is_null()) if fast is not None else raw
        mapping, wrong = {}, []
        for value in slow.unique().to_list():
            hit = cache.get(value) or conv(value)
            if hit[1] or (kind == "codes" and not set(hit[0]) <= set(_known(conv.codes, conv.spec))):
                wrong.append(value)
            mapping[value] = _cents(hit[0]) if kind == "decimal" else json.dumps(list(hit[0])) if kind == "codes" \
                else hit[0]
        if wrong:
            bad = bad | raw.is_in(wrong)
        dtype = pl.Int64 if kind == "decimal" else pl.String if kind == "codes" else _DTYPES[kind]
        converted = raw.replace_strict(mapping, default=None, return_dtype=dtype) if mapping else \
            pl.Series(name, [None] * frame.height, dtype=dtype)
        if fast is not None:
            converted = fast.fill_null(converted)
        out[name] = converted.alias(name)
    return out, bad


def _fast(raw: pl.Series, kind: str) -> pl.Series | None:
    """The cells in the plain form read by Polars (amounts in cents, ISO dates); null elsewhere, and
    where the plain form is no valid value (2021-02-30), for the converters to judge."""
    if kind == "decimal":
        return pl.select(pl.when(raw.str.contains(_PLAIN_MONEY))
                         .then(raw.str.replace(".", "", literal=True).cast(pl.Int64, strict=False))).to_series()
    if kind == "date":
        return pl.select(pl.when(raw.str.contains(_PLAIN_DATE))
                         .then(raw.str.to_date("%Y-%m-%d", strict=False))).to_series()
    return None


def _cents(value) -> int | None:
    return None if value is None else int(value.scaleb(2))


def _filled(name: str, columns: dict[str, pl.Series]) -> pl.Expr:
    return pl.col(name) if name in columns else pl.lit(None).alias(name)


def _known(codes, spec) -> list[str]:
    return list(codes.lists.get(spec.dictionary, {}))


def _codes_bad(entity: str, frame: pl.DataFrame, codes) -> pl.Expr:
    """A code outside its dictionary (the converters check the cells; this the values completed)."""
    checks = []
    for spec in schema.fields_of(entity, derived=False):
        if spec.name not in frame.columns or spec.type != "code":
            continue  # a list of codes is checked per distinct cell (_typed)
        known = _known(codes, spec)
        checks.append((pl.col(spec.name) != "") & ~pl.col(spec.name).is_in(known))
    return pl.any_horizontal(checks).fill_null(True) if checks else pl.lit(False)


# -------------------------------------------------------------------------------------- screening

def screen(reader, frame: pl.DataFrame) -> Screened:
    """Check the households of `frame`: whole households, the rows of each together and numbered by
    the caller in `_h` (0, 1, …), the order they come in."""
    layout = reader.layout
    frame = frame.with_columns(pl.col(f"c{reader.hn_index}").str.strip_chars().alias("_hn"))
    runs = frame.group_by("_h", maintain_order=True).agg(
        pl.col("_hn").first(), pl.col("row").first().alias("row_first"), pl.col("row").last().alias("row_last"),
        pl.len().alias("size"))
    same_household = pl.col("_h") == pl.col("_h").shift(1)
    differs = pl.any_horizontal([pl.col(f"c{i}") != pl.col(f"c{i}").shift(1) for i in reader.h_indices])
    ignored = [pl.col(f"c{i}").str.strip_chars() != "" for i in layout.ignored]
    row_odd = (same_household & differs).fill_null(False) | pl.any_horizontal(ignored) if ignored else \
        (same_household & differs).fill_null(False)
    persons, p_bad = _persons(reader, frame)
    persons = persons.with_columns((p_bad | frame.select(row_odd).to_series()).alias("_bad"))
    members = _members(persons)
    first = frame.filter(pl.col("_h") != pl.col("_h").shift(1).fill_null(-1))
    households, h_bad = _households(reader, first, runs, members)
    households = households.with_columns(
        (h_bad | members.get_column("_bad") | (runs.get_column("_hn") == "")).alias("_bad"))
    clean_households = households.filter(~pl.col("_bad"))
    clean_persons = persons.join(clean_households.select("_h"), on="_h", how="semi", maintain_order="left")
    others = households.filter(pl.col("_bad")).get_column("_h").to_list()
    return Screened(_household_rows(clean_households), _person_rows(clean_persons), others)


def _persons(reader, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """The members typed and completed as HouseholdReader._complete_person does, and the rows that
    fail any per-person check of validate_record and the importer."""
    ctx = reader.ctx
    year_end = pl.date(ctx.year, 12, 31)
    typed, bad = _typed(frame, reader.p_conv)
    p = pl.DataFrame({"_h": frame.get_column("_h"), "_hn": frame.get_column("_hn"), "row": frame.get_column("row"),
                      **typed})
    number = pl.col("id_number").fill_null("").str.strip_chars().str.to_uppercase()
    p = p.with_columns(number.alias("id_number"))
    by_length = pl.col("id_number").str.len_chars().replace_strict(
        {20: schema.ID_TYPE_DISABILITY_20, 22: schema.ID_TYPE_DISABILITY_22}, default=schema.ID_TYPE_RESIDENT,
        return_dtype=pl.String)
    given_type = _filled("id_type", typed)
    p = p.with_columns(
        pl.when(given_type.fill_null("") != "").then(given_type).otherwise(by_length).alias("id_type"),
        id_check(pl.col("id_number")).alias("_check"),
        pl.col("id_number").str.slice(6, 8).str.to_date("%Y%m%d", strict=False).alias("_born"),
        pl.when(pl.col("id_number").str.slice(16, 1).cast(pl.Int64, strict=False) % 2 == 1)
        .then(pl.lit(schema.SEX_MALE)).otherwise(pl.lit(schema.SEX_FEMALE)).alias("_sex"))
    birth, sex, status = (_filled(n, typed) for n in ("birth_date", "sex", "status"))
    months = _filled("migrant_work_months", typed)
    p = p.with_columns(
        pl.when(pl.col("_check") & birth.is_null()).then(pl.col("_born")).otherwise(birth).alias("birth_date"),
        pl.when(pl.col("_check") & (sex.fill_null("") == "")).then(pl.col("_sex")).otherwise(sex).alias("sex"),
        pl.when(status.fill_null("") == "").then(pl.lit("active")).otherwise(status).alias("status"),
        months.fill_null(0).alias("migrant_work_months"))
    required = [pl.col(n).is_null() | (pl.col(n).cast(pl.String) == "") if n in p.columns else pl.lit(True)
                for n in _PERSON_REQUIRED]
    n = pl.col("id_number")
    tail = n.str.slice(18)
    disability_ok = (tail.str.contains(r"^[1-7][1-4][0-9]*$")
                     & _agrees("disability_category", tail.str.slice(0, 1), typed)
                     & _agrees("disability_grade", tail.str.slice(1, 1), typed))
    lengths = pl.col("id_type").replace_strict(schema.ID_LENGTHS, default=None, return_dtype=pl.Int64)
    identified = _filled("identified_on", typed)
    phone = _filled("phone", typed).fill_null("")
    wrong = (~pl.col("_check") | pl.any_horizontal(required) | _codes_bad(PERSON, p, ctx.codes)
             | ((pl.col("id_type") != schema.ID_TYPE_RESIDENT) & ~disability_ok)
             | (n.str.len_chars() != lengths).fill_null(True)
             | (pl.col("birth_date") != pl.col("_born")).fill_null(True)
             | (pl.col("sex") != pl.col("_sex")) | (pl.col("birth_date") > year_end)
             | (ctx.year - pl.col("birth_date").dt.year() > MAX_AGE)
             | ~pl.col("migrant_work_months").is_between(0, 12)
             | (identified > year_end).fill_null(False)
             | ((phone != "") & ~phone.str.contains(_PHONE))
             | ~pl.col("status").is_in(list(dict(schema.PERSON_STATUSES))))
    for name, _column, limit, _label in reader.p_limits:
        wrong = wrong | (pl.col(name).str.len_chars() > limit).fill_null(False)
    flagged = p.select(wrong.fill_null(True)).to_series()
    return p, bad | flagged


def _agrees(name: str, digit: pl.Expr, typed: dict) -> pl.Expr:
    if name not in typed:
        return pl.lit(True)
    given = pl.col(name).fill_null("")
    return (given == "") | (given == digit)


def _members(persons: pl.DataFrame) -> pl.DataFrame:
    """Per household (`_h`, in order): any member bad or listed twice, active members, heads, the head's name."""
    head = (pl.col("status") == "active") & (pl.col("relation") == schema.HEAD_RELATION)
    number = pl.col("person_number").fill_null("").str.strip_chars().str.to_uppercase()
    return persons.group_by("_h", maintain_order=True).agg(
        (pl.col("_bad").any() | pl.col("id_number").is_duplicated().any() | number.is_duplicated().any()).alias("_bad"),
        (pl.col("status") == "active").sum().alias("_active"), head.sum().alias("_heads"),
        pl.col("name").filter(head).first().alias("_head_name"))


def _households(reader, first: pl.DataFrame, runs: pl.DataFrame, members: pl.DataFrame
                ) -> tuple[pl.DataFrame, pl.Series]:
    """The households typed and completed (status, village, member count, income), and the ones that
    fail any household check of validate_record and the importer."""
    layout, ctx = reader.layout, reader.ctx
    year_end = pl.date(ctx.year, 12, 31)
    typed, bad = _typed(first, reader.h_conv)
    h = pl.DataFrame({"_h": runs.get_column("_h"), "household_number": runs.get_column("_hn"),
                      "row_first": runs.get_column("row_first"), "row_last": runs.get_column("row_last"), **typed,
                      "_active": members.get_column("_active"), "_heads": members.get_column("_heads"),
                      "_head_name": members.get_column("_head_name")})
    given_status = _filled("status", typed).fill_null("")
    from_type = _filled("household_type", typed).fill_null("").replace_strict(
        _STATUS_FROM_TYPE, default="candidate", return_dtype=pl.String)
    h = h.with_columns(pl.when(given_status != "").then(given_status).otherwise(from_type).alias("status"))
    h, village_bad = _villages(reader, h)
    counted = (pl.col("_active") > 0) | ~pl.col("status").is_in(list(GONE_STATUSES))
    given_count = _filled("member_count", typed)
    exit_year = _filled("exit_year", typed)
    phone = _filled("phone", typed).fill_null("")
    dates = [_filled(n, typed) for n in _HOUSEHOLD_DATES]
    wrong = (village_bad | _codes_bad(HOUSEHOLD, h, ctx.codes)
             | ~pl.col("household_number").str.contains(_NUMBER)
             | (counted & (pl.col("_heads") != 1))
             | ~pl.col("status").is_in(list(dict(schema.HOUSEHOLD_STATUSES)))
             | (given_count.is_not_null() & (given_count != pl.col("_active")))
             | (exit_year.is_not_null() & ~exit_year.is_between(2013, ctx.year))
             | ((phone != "") & ~phone.str.contains(_PHONE))
             | pl.any_horizontal([(d > year_end).fill_null(False) for d in dates])
             | (dates[2] < dates[1]).fill_null(False))
    if "year" in layout.household:
        wrong = wrong | (pl.col("year").is_not_null() & (pl.col("year") != ctx.year))
    if "head_name" in typed:
        wrong = wrong | ((pl.col("head_name") != "") & (pl.col("_heads") == 1)
                         & (pl.col("_head_name") != pl.col("head_name"))).fill_null(False)
    if "is_dangerous_house" in typed and "housing_grade" in layout.household:
        grade = pl.col("housing_grade").fill_null("")
        wrong = wrong | (pl.col("is_dangerous_house").is_not_null() & (grade != "") & (
            pl.col("is_dangerous_house") != grade.is_in(list(schema.DANGEROUS_HOUSING_GRADES))))
    for name, _column, limit, _label in reader.h_limits:
        wrong = wrong | (pl.col(name).str.len_chars() > limit).fill_null(False)
    for name, _column, bound, _label in reader.h_money:
        wrong = wrong | (pl.col(name).abs() >= int(bound) * 100).fill_null(False)
    if "housing_area" in typed:
        wrong = wrong | (pl.col("housing_area") < 0).fill_null(False)
    h = h.with_columns(pl.col("_active").alias("member_count"))
    if layout.has_income:
        h, income_wrong = _income(h)
        wrong = wrong | income_wrong
    flagged = h.select(wrong.fill_null(True)).to_series()
    return h, bad | flagged


def _villages(reader, h: pl.DataFrame) -> tuple[pl.DataFrame, pl.Expr]:
    """The village of each household (by code, or by its names as the national layout gives it), once
    per distinct value through the reader's own lookup; unresolved, out-of-scope or frozen ones are bad."""
    ctx, layout = reader.ctx, reader.layout
    names = ["village"] if "village" in layout.household else ["village_name", "township_name", "county_name"]
    present = [n for n in names if n in h.columns]
    key = pl.concat_str([pl.col(n).fill_null("") for n in present], separator="\x1f") if present else pl.lit("")
    h = h.with_columns(key.alias("_village_key"))
    found = {}
    for key_value, *values in h.select("_village_key", *present).unique().iter_rows():
        given = {n: v for n, v in zip(present, values, strict=True)}
        problems: list = []
        info = reader._village(given, 0, problems, "")
        code = str(given.get("village") or "")
        ok = (info is not None and not problems and code.isdigit() and len(code) == 12
              and (ctx.allowed_prefixes is None or any(code.startswith(p) for p in ctx.allowed_prefixes))
              and code[:6] + "000000" not in ctx.frozen_counties)
        found[key_value] = info.pk if ok else None
    h = h.with_columns(pl.col("_village_key").replace_strict(found, default=None, return_dtype=pl.Int64)
                       .alias("village_id"))
    return h, pl.col("village_id").is_null()


def _income(h: pl.DataFrame) -> tuple[pl.DataFrame, pl.Expr]:
    """validate_income's checks (made exact: a computed figure given must equal the computed one) and
    the computed columns as income.compute_income gives them."""
    computed = _income_exprs(pl.col("_active"))
    wrong = pl.lit(False)
    for name in income.COMPUTED:
        if name in h.columns:
            wrong = wrong | (pl.col(name).is_not_null() & (pl.col(name) != computed[name]))
    wrong = wrong | pl.any_horizontal([(pl.col(n) < 0).fill_null(False) for n in income.INPUTS])
    wrong = wrong | (pl.col("assistance_income").fill_null(0) > pl.col("transfer_income").fill_null(0))
    flags = h.select(wrong.alias("_income_wrong")).to_series()
    h = h.with_columns(**{n: computed[n] for n in (*income.COMPUTED, "net_negative", "disposable_negative")})
    return h, pl.lit(flags)


# ---------------------------------------------------------------------------------- staging rows

def _household_rows(h: pl.DataFrame) -> pl.DataFrame:
    from fupin.registry.io.records import _H_DEFAULTS, _JSON

    negative = {"per_capita_net_income": "net_negative", "per_capita_disposable_income": "disposable_negative"}
    columns = [pl.col("row_first"), pl.col("row_last"), pl.col("household_number"), pl.col("village_id")]
    for name, default in _H_DEFAULTS:
        if name not in h.columns:
            columns.append(pl.lit("[]" if name in _JSON else default).alias(name))
        elif name in _JSON:
            columns.append(pl.col(name).fill_null("[]"))
        elif name in _MONEY:
            flag = pl.col(negative[name]) if name in negative and negative[name] in h.columns else None
            text = money_text(pl.col(name), flag).alias(name)
            columns.append(text if default is None else text.fill_null(pl.lit(str(default))))
        else:
            columns.append(_fill(h, name, default))
    return h.select(columns)


def _person_rows(p: pl.DataFrame) -> pl.DataFrame:
    from fupin.registry.io.records import _P_DEFAULTS

    columns = [pl.col("row").alias("row_number"), pl.col("_hn").alias("household_number"), pl.col("person_number")]
    for name, default in _P_DEFAULTS:
        if name not in p.columns:
            columns.append(pl.lit(default).alias(name))
        else:
            columns.append(_fill(p, name, default))
    return p.select(columns)


def _fill(frame: pl.DataFrame, name: str, default) -> pl.Expr:
    """The column with the per-record path's default for missing values, where one fits its type
    (a date or yes/no left empty stays empty: validation refuses the households where it may not)."""
    dtype = frame.schema[name]
    fits = (isinstance(default, str) and dtype == pl.String) or (
        isinstance(default, int) and not isinstance(default, bool) and dtype.is_integer()) or (
        isinstance(default, bool) and dtype == pl.Boolean)
    return pl.col(name).fill_null(default) if fits else pl.col(name)
