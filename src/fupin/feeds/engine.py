"""The vectorised matching of a department feed against the registry (Polars; no Django here).

`feed_match` takes the feed's rows as text columns (one per column key of the kind, plus `_row`, the row
number in the file), the registry's persons of the year, and what earlier uploads left (fact keys
already stored, earlier sums per household, alerts already raised), and returns

* `rows`: every row with its `_status` (accepted, invalid, duplicate, known, unknown) and `_problem`;
* `alerts`: one row per alert to raise, with the values that fired and the threshold.

Validation, de-duplication, the join and the rule are whole-column operations, so a million rows cost
about what the join itself costs. Every row is checked in one cheap pass that only says whether it is
good; the messages, and the slower tidying and date parsing, are computed for the few rows that fail it
(docs/decisions/feeds-engine.md).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import polars as pl

from fupin.feeds.kinds import FeedKind

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_PATTERN = r"^\d{17}[\dX]([1-7][1-4])?$"
ID_PIECES = ((0, 6), (6, 6), (12, 5))  # the 17 digits as three numbers: (first digit, digits)
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
EXCEL_EPOCH = pl.date(1899, 12, 30)
# year, month, day with separators | the same as eight digits | an Excel day number; then a time, or ".0"
DATE_PATTERN = r"^(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})(\d{2})(\d{2})|(\d{5}))(?:[ T].*|\.0+)?$"

ACCEPTED, INVALID, DUPLICATE, KNOWN, UNKNOWN = "accepted", "invalid", "duplicate", "known", "unknown"

REGISTRY_SCHEMA = {"id_number": pl.Utf8, "person_id": pl.Int64, "household_id": pl.Int64, "village_code": pl.Utf8,
                   "net_income_cents": pl.Int64}
PARAMS_SCHEMA = {"village_code": pl.Utf8, "param_value": pl.Float64, "pack": pl.Utf8}


@dataclass
class MatchResult:
    rows: pl.DataFrame
    alerts: pl.DataFrame

    def count(self, status: str) -> int:
        return self.rows.filter(pl.col("_status") == status).height


# ------------------------------------------------------------------------------------------ the ID number

def _id_key(col: str) -> pl.Expr:
    """The 18-digit ID number as one integer: the first 17 digits and the check character (X as 10)."""
    value = pl.col(col)
    check = value.str.slice(17, 1)
    return (value.str.slice(0, 17).cast(pl.Int64, strict=False) * 11
            + pl.when(check == "X").then(10).otherwise(check.cast(pl.Int64, strict=False))).alias("_id_key")


@functools.cache
def _weighted_digits(first: int, digits: int) -> pl.Series:
    """For every number of `digits` digits standing at `first` in the 17: the sum of its digits times their
    GB 11643 weights. Three look-ups replace taking 17 digits apart (several times cheaper). Built from
    the tables of its first digits and of its last three, so that building it costs a few milliseconds."""
    if digits <= 3:
        weights = ID_WEIGHTS[first:first + digits]
        return pl.Series([sum(int(d) * w for d, w in zip(f"{v:0{digits}d}", weights, strict=True))
                          for v in range(10 ** digits)], dtype=pl.Int16)
    head, tail = _weighted_digits(first, digits - 3), _weighted_digits(first + digits - 3, 3)
    number = pl.int_range(0, 10 ** digits, dtype=pl.Int64)
    return pl.select(pl.lit(head).gather(number // 1000) + pl.lit(tail).gather(number % 1000)).to_series()


@functools.cache
def _month_lengths() -> pl.Series:
    """For every YYYYMM (0-999999): the days of that month, 0 for no month or a year before 1900."""
    common = pl.Series([0, *DAYS_IN_MONTH[:1], 28, *DAYS_IN_MONTH[2:]] + [0] * 87, dtype=pl.Int8)
    number = pl.int_range(0, 1_000_000, dtype=pl.Int64)
    days = pl.select(pl.when(number >= 190_000).then(pl.lit(common).gather(number % 100)).otherwise(0)).to_series()
    leap_februaries = [year * 100 + 2 for year in range(1900, 10_000)
                       if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0]
    return days.scatter(leap_februaries, 29)


def _id_checks(col: str, *, quick: bool) -> list[tuple[pl.Expr, str]]:
    """The GB 11643 checks of an 18-digit ID number, in order. A 20-digit disability card number (残疾人证号:
    the ID number, the category 1-7 and the grade 1-4) is accepted too. The birth date and the check digit
    come from integer arithmetic on `_id_key`, far cheaper than slicing and parsing text: the 17 digits
    as three numbers (the area, the birth year and month, the birth day and sequence) looked up in tables.

    `quick`: the form checked without a pattern, for the pass over every row: 18 bytes whose first 17 read
    as a number of 17 digits (no sign, no leading zero) and whose last is a digit or X. It fails some good
    numbers (a 20-digit card number), which the second pass then checks with the pattern."""
    full, number = pl.col(col), pl.col("_id_key") // 11
    pieces = [number // 10 ** (17 - first - digits) % 10 ** digits for first, digits in ID_PIECES]
    total = pl.sum_horizontal([pl.lit(_weighted_digits(first, digits)).gather(piece)
                               for (first, digits), piece in zip(ID_PIECES, pieces, strict=True)])
    expected = (12 - total % 11) % 11  # "10X98765432"[total % 11] with X as 10
    day = pieces[2] // 1000
    bad_birth = (day < 1) | (day > pl.lit(_month_lengths()).gather(pieces[1]))
    if quick:
        form = [(pl.col("_id_key").is_null() | (full.str.len_bytes() != 18) | (number < 10 ** 16), "")]
    else:
        form = [(full.is_null() | (full == ""), "缺少身份证号"),
                (~full.str.contains(ID_PATTERN), "身份证号应为18位，前17位为数字，末位为数字或X（残疾人证号为20位）")]
    return [*form, (bad_birth, "身份证号中的出生日期无效"),
            (pl.col("_id_key") % 11 != expected, "身份证号校验位错误")]


# --------------------------------------------------------------------------------------- cells, typed

def _cents(col: str) -> pl.Expr:
    """`<col>__number` (the cell as a double) → integer cents; null unless a number from 0 to 10,000,000,000
    with at most two decimals. A number multiplied by 100 is exact after rounding at that size."""
    number = pl.col(f"{col}__number")
    scaled = number * 100
    rounded = scaled.round(0)
    ok = (number >= 0) & (number < 1e10) & ((scaled - rounded).abs() < 1e-6)  # false for NaN and infinities
    return pl.when(ok).then(rounded.cast(pl.Int64)).alias(f"{col}__cents")


def _iso_date(col: str) -> pl.Expr:
    return pl.col(col).str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def _plain_date(col: str) -> pl.Expr:
    """An ISO date and nothing else (ten bytes): the pass over every row; other forms are read again."""
    value = pl.col(col)
    return pl.when(value.str.len_bytes() == 10).then(value.str.strptime(pl.Date, "%Y-%m-%d", strict=False))


def _date(col: str) -> pl.Expr:
    """A date written 2020-05-01, 2020/5/1, 2020.5.1 or 20200501 (a time after it ignored), or an Excel day
    number as .xlsx files store dates. One pattern takes every form apart (one pass of the regex engine
    over the column, the dearest step)."""
    field = pl.col(col).str.extract_groups(DATE_PATTERN).struct.field
    year = pl.coalesce(field("1"), field("4"))
    month, day = (pl.coalesce(field(a), field(b)).str.zfill(2) for a, b in (("2", "5"), ("3", "6")))
    parsed = pl.concat_str([year, month, day], separator="-").str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    serial = field("7").cast(pl.Int64, strict=False)
    return pl.coalesce([_iso_date(col), parsed, EXCEL_EPOCH + pl.duration(days=serial)])


def _typed(frame: pl.LazyFrame, kind: FeedKind, *, every_date_form: bool) -> pl.LazyFrame:
    """`_id_key`, `<key>__date` for dates and `<key>__cents` for money. The first pass over every row reads
    plain ISO dates only (one cheap parse); the rows it leaves undated are read again with every form."""
    money = [c.key for c in kind.columns if c.type == "money"]
    dates = [c.key for c in kind.columns if c.type == "date"]
    return frame.with_columns(
        _id_key("id_number"),
        *[(_date(k) if every_date_form else _plain_date(k)).alias(f"{k}__date") for k in dates],
        *[pl.col(k).cast(pl.Float64, strict=False).alias(f"{k}__number") for k in money],
    ).with_columns([_cents(k) for k in money]).drop([f"{k}__number" for k in money])


def _checks(kind: FeedKind, year: int, *, quick: bool = False) -> list[list[tuple[pl.Expr, str]]]:
    """Per column of the kind, its checks in order: (the condition that makes the cell wrong, the message).
    `quick`: for the pass over every row, which needs the conditions only (see `_id_checks`)."""
    per_column = []
    for c in kind.columns:
        value = pl.col(c.key)
        blank = value.is_null() | (value == "")
        if c.type == "id_number":
            per_column.append(_id_checks(c.key, quick=quick))
            continue
        checks = [(blank, f"缺少“{c.header}”")] if c.required else []
        if c.type == "money":
            checks.append((~blank & pl.col(f"{c.key}__cents").is_null(),
                           f"“{c.header}”不是有效金额（应为不小于0的数字，最多两位小数）"))
        elif c.type == "date":
            checks.append((~blank & pl.col(f"{c.key}__date").is_null(), f"“{c.header}”不是有效日期（如 {year}-05-01）"))
            if c.key == kind.date:
                day = pl.col(f"{c.key}__date")
                checks.append((~blank & ((day < pl.date(year, 1, 1)) | (day > pl.date(year, 12, 31))),
                               f"“{c.header}”不在 {year} 年度内"))
        elif c.type == "choice":
            checks.append((~blank & ~value.is_in(list(c.choices)), f"“{c.header}”应为：{'、'.join(c.choices)}"))
        else:
            # Bytes, not characters: counting bytes is free, and 600 bytes are 200 Chinese characters.
            checks.append((value.str.len_bytes() > 600, f"“{c.header}”过长（不能超过200个汉字）"))
        per_column.append(checks)
    return per_column


def _first(checks: list[tuple[pl.Expr, str]]) -> pl.Expr | None:
    """The message of the first check that holds, else null."""
    if not checks:
        return None
    expr = pl.when(checks[0][0]).then(pl.lit(checks[0][1]))
    for condition, message in checks[1:]:
        expr = expr.when(condition).then(pl.lit(message))
    return expr.otherwise(None)


def _problem(checks: list[list[tuple[pl.Expr, str]]]) -> pl.Expr:
    """`_problem`: each column's first message, joined; null for a good row."""
    problem = pl.concat_str([p for p in map(_first, checks) if p is not None], separator="；", ignore_nulls=True)
    return pl.when(problem == "").then(None).otherwise(problem).alias("_problem")


# ------------------------------------------------------------------------------------------ validating

def validate(frame: pl.DataFrame, kind: FeedKind, year: int) -> pl.DataFrame:
    """Typed columns (`_id_key`, `<key>__cents` for money, `<key>__date` for dates) and `_problem` per row.

    One pass over every row says only whether the row is good, with ISO dates and the cells as they are.
    The rows it fails are checked again: surrounding spaces removed, the ID number in capitals (a lower-case
    x), thousands separators out of amounts, dates in every form; only they get their messages. Copying a
    million strings to tidy them, or building a million messages, costs more than all the checks. Rows
    that turn out blank are left out."""
    wrong = pl.any_horizontal([condition for column in _checks(kind, year, quick=True) for condition, _ in column])
    checked = (_typed(frame.lazy(), kind, every_date_form=False)
               .with_columns(wrong.fill_null(False).alias("_wrong"))
               .collect(engine="in-memory"))
    wrong_rows = checked.get_column("_wrong").arg_true()
    checked = checked.drop("_wrong").with_columns(pl.lit(None, pl.Utf8).alias("_problem"))
    if wrong_rows.len() == 0:
        return checked
    rechecked = _recheck(frame[wrong_rows], kind, _checks(kind, year)).select(checked.columns)
    if wrong_rows.len() == checked.height:  # every row (dates written 2020/5/1, say): nothing to put back
        return rechecked.filter(pl.col("_row").is_not_null())
    return _replace_rows(checked, wrong_rows, rechecked)


def _recheck(failed: pl.DataFrame, kind: FeedKind, checks: list[list[tuple[pl.Expr, str]]]) -> pl.DataFrame:
    """The rows the first pass failed, tidied and checked again, with their messages; blank ones get `_row`
    null (they are left out)."""
    keys = [c.key for c in kind.columns]
    money = [c.key for c in kind.columns if c.type == "money"]
    tidy = failed.lazy().with_columns(pl.col(k).str.strip_chars() for k in keys).with_columns(
        pl.col("id_number").str.to_uppercase(), *[pl.col(k).str.replace_all(",", "", literal=True) for k in money])
    blank = ~pl.any_horizontal([pl.col(k).is_not_null() & (pl.col(k) != "") for k in keys])
    return (_typed(tidy, kind, every_date_form=True).with_columns(_problem(checks))
            .with_columns(pl.when(~blank).then(pl.col("_row")).alias("_row")).collect(engine="in-memory"))


def _replace_rows(frame: pl.DataFrame, at: pl.Series, replacement: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its rows `at` replaced by `replacement`'s (in that order), those with `_row` null left
    out: one gather through an index rather than a concatenation sorted again by row number."""
    n = frame.height
    index = pl.int_range(0, n, dtype=pl.UInt32, eager=True).scatter(
        at, pl.int_range(n, n + at.len(), dtype=pl.UInt32, eager=True))
    kept = replacement.get_column("_row").is_not_null()
    if not kept.all():
        index = index.filter(pl.repeat(True, n, eager=True).scatter(at, kept))
    return pl.concat([frame, replacement], how="vertical")[index]


# ------------------------------------------------------------------------------------------ repeated facts

def _fact_hash(kind: FeedKind) -> pl.Expr:
    """A 64-bit hash of the fact's columns (equal facts, equal hashes), without building text."""
    parts = [pl.col("_id_key")] + [pl.col(f"{k}__date") if kind.column(k).type == "date" else
                                   pl.col(f"{k}__cents") if kind.column(k).type == "money" else
                                   pl.col(k).str.strip_chars() for k in kind.fact]
    combined = parts[0].hash(1)
    for i, part in enumerate(parts[1:], start=2):
        combined = combined * 1_000_003 ^ part.hash(i)
    return combined


def fact_key(kind: FeedKind) -> pl.Expr:
    """`_fact_key`: the ID number and the fact's columns as text, what is stored and compared across uploads."""
    parts = [pl.col("id_number").str.slice(0, 18)]
    for key in kind.fact:
        column = kind.column(key)
        if column.type == "date":
            parts.append(pl.col(f"{key}__date").cast(pl.Utf8))
        elif column.type == "money":
            parts.append(pl.col(f"{key}__cents").cast(pl.Utf8))
        else:
            parts.append(pl.col(key).str.strip_chars())
    return pl.concat_str(parts, separator="|").alias("_fact_key")


def _repeated(rows: pl.DataFrame, kind: FeedKind) -> pl.DataFrame:
    """`_row` and `_dup` (与第N行重复) of the valid rows repeating the fact of an earlier valid row.

    Repeated facts are rare: 64-bit hashes of the fact's columns, sorted, show the values that occur twice
    (half the cost of counting every value), and only the rows with such a hash get their text key built
    and grouped to name the first row (building a million text keys costs more than all of it; the text
    key is built where facts are stored or alerted)."""
    hashes = rows.select(_fact_hash(kind)).to_series()
    ordered = hashes.sort()
    twice = ordered.filter(ordered == ordered.shift(1))
    if twice.len() == 0:
        return pl.DataFrame(schema={"_row": pl.Int64, "_dup": pl.Utf8})
    candidates = (rows.lazy().filter(pl.col("_problem").is_null() & hashes.is_in(twice.implode()))
                  .with_columns(fact_key(kind)).collect(engine="in-memory"))
    repeated = candidates.filter(pl.col("_fact_key").is_duplicated()).with_columns(
        pl.col("_row").min().over("_fact_key").alias("_first_row")).filter(pl.col("_first_row") != pl.col("_row"))
    return repeated.select("_row", pl.format("与第{}行重复", pl.col("_first_row")).alias("_dup"))


def _known_rows(rows: pl.DataFrame, kind: FeedKind, known_facts: pl.DataFrame) -> pl.Series:
    """`_row` of the valid rows whose fact earlier uploads stored. Only rows of a person with a stored fact
    get their text key built."""
    stored = known_facts.get_column("fact_key")
    people = pl.DataFrame({"id_number": stored.str.slice(0, 18)}).select(_id_key("id_number")).to_series()
    return (rows.lazy().filter(pl.col("_problem").is_null() & pl.col("_id_key").is_in(people.implode()))
            .with_columns(fact_key(kind)).filter(pl.col("_fact_key").is_in(stored.implode()))
            .collect(engine="in-memory").get_column("_row"))


# ------------------------------------------------------------------------------------------ matching

def _registry_columns(rows: pl.DataFrame, registry: pl.DataFrame) -> list[pl.Series]:
    """`person_id`, `household_id` and `_person` (the registry row) for each row: null where no registry
    person holds its ID number.

    An inner join of the ID keys with the rows' positions, the result put in place by position: the
    streaming engine joins two million keys several times faster than a left join of the frames that keeps
    their order. An ID number the registry holds twice (an ID card number and the disability card number
    starting with it) takes the first."""
    persons = registry.lazy().select(_id_key("id_number"), "person_id", "household_id").with_row_index("_person")
    found = (rows.lazy().select("_id_key").with_row_index("_at").join(persons, on="_id_key", how="inner")
             .collect(engine="streaming"))
    columns = _in_place(found, rows.height)
    if rows.height - columns[-1].null_count() < found.height:
        columns = _in_place(found.sort("_at", "_person").unique("_at", keep="first"), rows.height)
    return columns


def _in_place(found: pl.DataFrame, height: int) -> list[pl.Series]:
    at = found.get_column("_at")
    return [pl.repeat(None, height, dtype=found.schema[c], eager=True).scatter(at, found.get_column(c)).alias(c)
            for c in ("person_id", "household_id", "_person")]


class _Laps:
    """Seconds per step into `timings` (when given): where the time of a large file goes."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings, self.last = timings, time.perf_counter()

    def __call__(self, step: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[step] = self.timings.get(step, 0.0) + now - self.last
            self.last = now


def feed_match(frame: pl.DataFrame, kind: FeedKind, *, year: int, registry: pl.DataFrame, params: pl.DataFrame,
               known_facts: pl.DataFrame | None = None, earlier_sums: pl.DataFrame | None = None,
               raised: pl.DataFrame | None = None, timings: dict[str, float] | None = None) -> MatchResult:
    """Validate, de-duplicate, match by ID number and apply the kind's rule. `registry`: REGISTRY_SCHEMA;
    `params`: PARAMS_SCHEMA (the rule's pack parameter per village); `known_facts`: `fact_key` of facts
    stored by earlier uploads; `earlier_sums`: `household_id`, `cents` summed over earlier facts of the
    year; `raised`: `alert_key` of alerts already raised; `timings`: filled with the seconds of each step."""
    lap = _Laps(timings)
    rows = validate(frame, kind, year)
    lap("validate")
    valid = pl.col("_problem").is_null()
    repeated = _repeated(rows, kind)
    dup_note = (pl.col("_row").replace_strict(repeated.get_column("_row"), repeated.get_column("_dup"), default=None,
                                              return_dtype=pl.Utf8) if repeated.height else pl.lit(None, pl.Utf8))
    duplicate = valid & dup_note.is_not_null()
    known = pl.lit(False)
    if known_facts is not None and known_facts.height:
        known = pl.col("_row").is_in(_known_rows(rows, kind, known_facts).implode())
    lap("repeated facts")
    # Match on the 18-digit ID number (the registry holds a disability card number of 20 digits for some),
    # as one integer: a join on integers is several times faster than on text.
    rows = rows.with_columns(_registry_columns(rows, registry))
    unknown = pl.col("person_id").is_null()
    rows = rows.lazy().with_columns(
        pl.when(~valid).then(pl.lit(INVALID))
        .when(duplicate).then(pl.lit(DUPLICATE))
        .when(known).then(pl.lit(KNOWN))
        .when(unknown).then(pl.lit(UNKNOWN))
        .otherwise(pl.lit(ACCEPTED)).alias("_status"),
        pl.when(duplicate).then(dup_note)
        .when(known & valid).then(pl.lit("此记录已在以前的上传中报送过"))
        .when(valid & unknown).then(pl.lit(f"身份证号不在 {year} 年建档立卡人口中"))
        .otherwise(pl.col("_problem")).alias("_problem"),
    ).collect(engine="in-memory")
    lap("registry match")
    alerts = _rule(rows, kind, year, registry, params, earlier_sums)
    if raised is not None and raised.height:
        alerts = alerts.join(raised.select("alert_key"), on="alert_key", how="anti")
    lap("rule")
    return MatchResult(rows=rows.drop("_person"), alerts=alerts)


# ------------------------------------------------------------------------------------------ the rule

def _with_household(frame: pl.DataFrame, registry: pl.DataFrame) -> pl.DataFrame:
    """`village_code` and `net_income_cents` from the registry row `_person` (the same for a household)."""
    person = frame.get_column("_person")
    return frame.with_columns(registry.get_column(c).gather(person) for c in ("village_code", "net_income_cents"))


def _rule(rows: pl.DataFrame, kind: FeedKind, year: int, registry: pl.DataFrame, params: pl.DataFrame,
          earlier_sums: pl.DataFrame | None) -> pl.DataFrame:
    rule = kind.rule
    prefix = f"{kind.key}:{rule.id}:"
    accepted = rows.lazy().filter(pl.col("_status") == ACCEPTED)
    if rule.type == "each_fact":
        for key, allowed in rule.where.items():
            accepted = accepted.filter(pl.col(key).is_in(list(allowed)))
        fired = _with_household(accepted.with_columns(fact_key(kind)).collect(engine="in-memory"), registry)
        return fired.select((pl.lit(prefix) + pl.col("_fact_key")).alias("alert_key"), "household_id", "person_id",
                            "village_code", "_fact_key", pl.lit(None, pl.Int64).alias("value_cents"),
                            pl.lit(None, pl.Int64).alias("limit_cents"), pl.lit(None, pl.Int64).alias("income_cents"),
                            pl.lit(None, pl.Float64).alias("param_value"), pl.lit(None, pl.Utf8).alias("pack"),
                            pl.lit(1, pl.UInt32).alias("facts"))
    value = pl.col(f"{rule.value}__cents")
    if rule.type == "share_of_income":
        with_params = _with_household(accepted.collect(engine="in-memory"), registry).join(
            params, on="village_code", how="left")
        fired = with_params.with_columns(
            (value * rule.multiplier).round(0).cast(pl.Int64).alias("value_cents"),
            (pl.col("param_value") * pl.col("net_income_cents")).round(0).cast(pl.Int64).alias("limit_cents"),
        ).filter(pl.col("value_cents") >= pl.col("limit_cents")).with_columns(fact_key(kind))
        return fired.select((pl.lit(prefix) + pl.col("_fact_key")).alias("alert_key"), "household_id", "person_id",
                            "village_code", "_fact_key", "value_cents", "limit_cents",
                            pl.col("net_income_cents").alias("income_cents"), "param_value", "pack",
                            pl.lit(1, pl.UInt32).alias("facts"))
    return _household_sums(accepted, kind, year, registry, params, earlier_sums)


def _household_sums(accepted: pl.LazyFrame, kind: FeedKind, year: int, registry: pl.DataFrame,
                    params: pl.DataFrame, earlier_sums: pl.DataFrame | None) -> pl.DataFrame:
    """household_sum_over_income: this upload's facts plus the earlier ones of the year, summed per household
    first. The income is looked up per household; the village (for its pack parameter) only for the
    households whose sum passes the limit of the lowest or highest parameter of all villages, since no
    village's limit lies outside those two. The households that pass their limit are looked at again, to
    point the alert at the largest new fact (the first in the file among equal ones)."""
    rule = kind.rule
    value = pl.col(f"{rule.value}__cents")
    accepted = accepted.select("_row", "household_id", "person_id", "_person", "id_number", value,
                               *_fact_columns(kind)).collect(engine="in-memory")
    # Any member's registry row gives the household's village and income; the smallest is as cheap to find
    # as the sum (taking the first is several times dearer in the streaming engine, itself twice as fast here).
    per_household = accepted.lazy().group_by("household_id").agg(
        value.sum().alias("new_cents"), pl.len().cast(pl.UInt32).alias("facts"), pl.col("_person").min(),
    ).collect(engine="streaming")
    if earlier_sums is not None and earlier_sums.height:
        per_household = per_household.join(earlier_sums.rename({"cents": "earlier_cents"}), on="household_id",
                                           how="left")
    else:
        per_household = per_household.with_columns(pl.lit(0, pl.Int64).alias("earlier_cents"))
    factors = params.get_column("param_value")
    income = registry.get_column("net_income_cents").gather(per_household.get_column("_person"))
    limits = [(pl.lit(factor, pl.Float64) * pl.col("net_income_cents")).round(0) for factor in (factors.min(),
                                                                                                  factors.max())]
    candidates = per_household.with_columns(
        (pl.col("new_cents") + pl.col("earlier_cents").fill_null(0)).alias("value_cents"), income,
    ).filter(pl.col("value_cents") > pl.min_horizontal(limits))
    villages, packs = params.get_column("village_code"), params.get_column("pack")
    fired = _with_household(candidates, registry).with_columns(
        pl.col("village_code").replace_strict(villages, factors, default=None, return_dtype=pl.Float64)
        .alias("param_value"),
    ).with_columns(
        (pl.col("param_value") * pl.col("net_income_cents")).round(0).cast(pl.Int64).alias("limit_cents"),
    ).filter(pl.col("value_cents") > pl.col("limit_cents")).with_columns(
        pl.col("village_code").replace_strict(villages, packs, default=None, return_dtype=pl.Utf8).alias("pack"))
    order = {"by": [value, pl.col("_row")], "descending": [True, False]}
    largest = (accepted.lazy().filter(pl.col("household_id").is_in(fired.get_column("household_id").implode()))
               .with_columns(fact_key(kind)).group_by("household_id")
               .agg(pl.col("person_id").sort_by(**order).first(), pl.col("_fact_key").sort_by(**order).first())
               .collect(engine="in-memory"))
    fired = fired.join(largest, on="household_id", how="left")
    prefix = f"{kind.key}:{rule.id}:{year}:"
    return fired.select((pl.lit(prefix) + pl.col("household_id").cast(pl.Utf8)).alias("alert_key"),
                        "household_id", "person_id", "village_code", "_fact_key", "value_cents", "limit_cents",
                        pl.col("net_income_cents").alias("income_cents"), "param_value", "pack", "facts")


def _fact_columns(kind: FeedKind) -> list[str]:
    """The columns `fact_key` reads besides the ID number."""
    typed = {"date": "__date", "money": "__cents"}
    return [f"{k}{typed.get(kind.column(k).type, '')}" for k in kind.fact]
