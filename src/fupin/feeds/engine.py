"""The vectorised matching of a department feed against the registry (Polars; no Django here).

`feed_match` takes the feed's rows as text columns (one per column key of the kind, plus `_row`, the row
number in the file), the registry's persons of the year, and what earlier uploads left (fact keys
already stored, earlier sums per household, alerts already raised), and returns

* `rows`: every row with its `_status` (accepted, invalid, duplicate, known, unknown) and `_problem`;
* `alerts`: one row per alert to raise, with the values that fired and the threshold.

Validation, de-duplication, the join and the rule are whole-column operations, so a million rows cost
about what the join itself costs (docs/decisions/feeds-engine.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from fupin.feeds.kinds import FeedKind

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")
EXCEL_EPOCH = pl.date(1899, 12, 30)

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


def _id_problem(col: str) -> pl.Expr:
    """The GB 11643 checks of an 18-digit ID number, as an expression giving the problem or null. A 20-digit
    disability card number (残疾人证号: the ID number, the category 1-7 and the grade 1-4) is accepted too.
    Works on `_id17` and `_id_check` (computed once by `_validate_once`): the birth date and the check digit
    come from integer arithmetic on the 17-digit number, far cheaper than slicing and parsing text."""
    full, number = pl.col(col), pl.col("_id17")
    total = pl.sum_horizontal([(number // 10 ** (16 - i)) % 10 * w for i, w in enumerate(ID_WEIGHTS)])
    expected = (12 - total % 11) % 11  # "10X98765432"[total % 11] with X as 10
    birth = (number // 1000) % 100_000_000
    year, month, day = birth // 10_000, birth // 100 % 100, birth % 100
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = month.replace_strict(list(range(1, 13)), [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], default=0,
                                return_dtype=pl.Int64) + pl.when(leap & (month == 2)).then(1).otherwise(0)
    bad_birth = (year < 1900) | (day < 1) | (day > days)
    return (pl.when(full.is_null() | (full == "")).then(pl.lit("缺少身份证号"))
            .when(~full.str.contains(r"^\d{17}[\dX]([1-7][1-4])?$"))
            .then(pl.lit("身份证号应为18位，前17位为数字，末位为数字或X（残疾人证号为20位）"))
            .when(bad_birth).then(pl.lit("身份证号中的出生日期无效"))
            .when(pl.col("_id_check") != expected).then(pl.lit("身份证号校验位错误"))
            .otherwise(None))


def _cents(col: str) -> pl.Expr:
    """'1234.5' → 123450 (integer cents); null unless a number from 0 to 10,000,000,000 with at most two
    decimals. A number parsed as a double and multiplied by 100 is exact after rounding at that size."""
    number = pl.col(col).cast(pl.Float64, strict=False)
    scaled = number * 100
    ok = number.is_finite() & (number >= 0) & (number < 1e10) & ((scaled - scaled.round(0)).abs() < 1e-6)
    return pl.when(ok).then(scaled.round(0).cast(pl.Int64))


def _with_date(frame: pl.DataFrame, col: str) -> pl.DataFrame:
    """`<col>__date`: ISO dates (the usual case) parsed in one cheap pass over every row; only the rows that
    fail it go through the slower normalising parse of `_date`."""
    out = f"{col}__date"
    frame = frame.with_columns(pl.col(col).str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False).alias(out))
    rest = frame.filter(pl.col(out).is_null() & pl.col(col).is_not_null() & (pl.col(col) != ""))
    if rest.height == 0:
        return frame
    fixed = rest.select("_row", _date(col).alias("_fixed"))
    return frame.join(fixed, on="_row", how="left").with_columns(
        pl.coalesce([pl.col(out), pl.col("_fixed")]).alias(out)).drop("_fixed")


def _date(col: str) -> pl.Expr:
    """A date written 2020-05-01, 2020/5/1, 2020.5.1 or 20200501 (a time after it ignored), or an Excel day
    number as .xlsx files store dates."""
    value = pl.col(col).str.extract(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8}|\d{5})(?:[ T].*|\.0+)?$", 1)
    parts = value.str.extract_groups(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")
    iso = pl.concat_str([parts.struct.field("1"), parts.struct.field("2").str.zfill(2),
                         parts.struct.field("3").str.zfill(2)], separator="-")
    parsed = iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    serial = pl.when(value.str.len_bytes() == 5).then(value.cast(pl.Int64, strict=False))
    return pl.coalesce([parsed, EXCEL_EPOCH + pl.duration(days=serial)])


def _first(checks: list[tuple[pl.Expr, str]]) -> pl.Expr | None:
    """The message of the first check that holds, else null."""
    if not checks:
        return None
    expr = pl.when(checks[0][0]).then(pl.lit(checks[0][1]))
    for condition, message in checks[1:]:
        expr = expr.when(condition).then(pl.lit(message))
    return expr.otherwise(None)


def validate(frame: pl.DataFrame, kind: FeedKind, year: int) -> pl.DataFrame:
    """Typed columns (`<key>__cents` for money, `<key>__date` for dates) and `_problem` per row.

    Cells are checked as they are first; only the rows that fail are checked again with surrounding spaces
    removed, the ID number in capitals (a lower-case x) and thousands separators out of amounts, since copying a million strings to tidy them
    costs more than all the checks. Rows that turn out blank are left out."""
    keys = [c.key for c in kind.columns]
    checked = _validate_once(frame, kind, year)
    failed = checked.filter(pl.col("_problem").is_not_null())
    if failed.height == 0:
        return checked
    money = [c.key for c in kind.columns if c.type == "money"]
    tidy = failed.select("_row", *[pl.col(k).str.strip_chars() for k in keys]).with_columns(
        pl.col("id_number").str.to_uppercase(), *[pl.col(k).str.replace_all(",", "", literal=True) for k in money])
    tidy = tidy.filter(pl.any_horizontal([pl.col(k).is_not_null() & (pl.col(k) != "") for k in keys]))
    rechecked = _validate_once(tidy, kind, year).select(checked.columns)
    return pl.concat([checked.filter(pl.col("_problem").is_null()), rechecked]).sort("_row")


def _validate_once(frame: pl.DataFrame, kind: FeedKind, year: int) -> pl.DataFrame:
    frame = frame.with_columns(_id_key("id_number")).with_columns(
        (pl.col("_id_key") // 11).alias("_id17"), (pl.col("_id_key") % 11).alias("_id_check"))
    for c in kind.columns:
        if c.type == "date":
            frame = _with_date(frame, c.key)
    problems, typed = [], []
    for c in kind.columns:
        value = pl.col(c.key)
        blank = value.is_null() | (value == "")
        if c.type == "id_number":
            problems.append(_id_problem(c.key))
            continue
        checks = [(blank, f"缺少“{c.header}”")] if c.required else []
        if c.type == "money":
            typed.append(_cents(c.key).alias(f"{c.key}__cents"))
            checks.append((~blank & pl.col(f"{c.key}__cents").is_null(),
                           f"“{c.header}”不是有效金额（应为不小于0的数字，最多两位小数）"))
        elif c.type == "date":
            checks.append((~blank & pl.col(f"{c.key}__date").is_null(), f"“{c.header}”不是有效日期（如 {year}-05-01）"))
            if c.key == kind.date:
                checks.append((~blank & (pl.col(f"{c.key}__date").dt.year() != year),
                               f"“{c.header}”不在 {year} 年度内"))
        elif c.type == "choice":
            checks.append((~blank & ~value.is_in(list(c.choices)), f"“{c.header}”应为：{'、'.join(c.choices)}"))
        else:
            # Bytes, not characters: counting bytes is free, and 600 bytes are 200 Chinese characters.
            checks.append((value.str.len_bytes() > 600, f"“{c.header}”过长（不能超过200个汉字）"))
        problems.append(_first(checks))
    problem = pl.concat_str([p for p in problems if p is not None], separator="；", ignore_nulls=True)
    return frame.with_columns(typed).with_columns(
        pl.when(problem == "").then(None).otherwise(problem).alias("_problem")).drop("_id17", "_id_check")


def _id_key(col: str) -> pl.Expr:
    """The 18-digit ID number as one integer: the first 17 digits and the check character (X as 10)."""
    value = pl.col(col)
    check = value.str.slice(17, 1)
    return (value.str.slice(0, 17).cast(pl.Int64, strict=False) * 11
            + pl.when(check == "X").then(10).otherwise(check.cast(pl.Int64, strict=False))).alias("_id_key")


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


def feed_match(frame: pl.DataFrame, kind: FeedKind, *, year: int, registry: pl.DataFrame, params: pl.DataFrame,
               known_facts: pl.DataFrame | None = None, earlier_sums: pl.DataFrame | None = None,
               raised: pl.DataFrame | None = None) -> MatchResult:
    """Validate, de-duplicate, match by ID number and apply the kind's rule. `registry`: REGISTRY_SCHEMA;
    `params`: PARAMS_SCHEMA (the rule's pack parameter per village); `known_facts`: `fact_key` of facts
    stored by earlier uploads; `earlier_sums`: `household_id`, `cents` summed over earlier facts of the
    year; `raised`: `alert_key` of alerts already raised."""
    rows = validate(frame, kind, year)
    valid = pl.col("_problem").is_null()
    # Repeated facts are rare: a pass over 64-bit hashes of the fact's columns finds the candidates, and only
    # they get their text key built and grouped to name the first row (building a million text keys costs
    # more than all of it; the text key is built where facts are stored or alerted).
    candidates = rows.filter(valid & _fact_hash(kind).is_duplicated()).with_columns(fact_key(kind))
    repeated = candidates.filter(pl.col("_fact_key").is_duplicated()).with_columns(
        pl.col("_row").min().over("_fact_key").alias("_first_row")).filter(pl.col("_first_row") != pl.col("_row"))
    duplicate = pl.lit(False)
    if repeated.height:
        rows = rows.join(repeated.select("_row", pl.format("与第{}行重复", pl.col("_first_row")).alias("_dup")),
                         on="_row", how="left", maintain_order="left")
        duplicate = valid & pl.col("_dup").is_not_null()
    known = pl.lit(False)
    if known_facts is not None and known_facts.height:
        rows = rows.with_columns(fact_key(kind)).join(
            known_facts.select(pl.col("fact_key").alias("_fact_key"), pl.lit(True).alias("_known")),
            on="_fact_key", how="left", maintain_order="left")
        known = pl.col("_known").fill_null(False)
    # Match on the 18-digit ID number (the registry holds a disability card number of 20 digits for some),
    # as one integer: a join on integers is several times faster than on text.
    rows = rows.join(registry.select(_id_key("id_number"), pl.exclude("id_number")), on="_id_key", how="left",
                     maintain_order="left")
    rows = rows.with_columns(
        pl.when(~valid).then(pl.lit(INVALID))
        .when(duplicate).then(pl.lit(DUPLICATE))
        .when(known).then(pl.lit(KNOWN))
        .when(pl.col("person_id").is_null()).then(pl.lit(UNKNOWN))
        .otherwise(pl.lit(ACCEPTED)).alias("_status"),
        pl.when(duplicate).then(pl.col("_dup") if repeated.height else pl.lit(None, pl.Utf8))
        .when(known & valid).then(pl.lit("此记录已在以前的上传中报送过"))
        .when(valid & pl.col("person_id").is_null()).then(pl.lit(f"身份证号不在 {year} 年建档立卡人口中"))
        .otherwise(pl.col("_problem")).alias("_problem"),
    )
    alerts = _rule(rows.filter(pl.col("_status") == ACCEPTED), kind, year, params, earlier_sums)
    if raised is not None and raised.height:
        alerts = alerts.join(raised.select("alert_key"), on="alert_key", how="anti")
    return MatchResult(rows=rows, alerts=alerts)


def _rule(accepted: pl.DataFrame, kind: FeedKind, year: int, params: pl.DataFrame,
          earlier_sums: pl.DataFrame | None) -> pl.DataFrame:
    rule = kind.rule
    prefix = f"{kind.key}:{rule.id}:"
    if rule.type == "each_fact":
        fired = accepted
        for key, allowed in rule.where.items():
            fired = fired.filter(pl.col(key).is_in(list(allowed)))
        fired = fired.with_columns(fact_key(kind))
        return fired.select(pl.lit(prefix) + pl.col("_fact_key"), "household_id", "person_id", "village_code",
                            "_fact_key", pl.lit(None, pl.Int64).alias("value_cents"),
                            pl.lit(None, pl.Int64).alias("limit_cents"), pl.lit(None, pl.Int64).alias("income_cents"),
                            pl.lit(None, pl.Float64).alias("param_value"), pl.lit(None, pl.Utf8).alias("pack"),
                            pl.lit(1, pl.UInt32).alias("facts")).rename({"literal": "alert_key"})
    with_params = accepted.join(params, on="village_code", how="left")
    value = pl.col(f"{rule.value}__cents")
    if rule.type == "share_of_income":
        fired = with_params.with_columns(
            (value * rule.multiplier).round(0).cast(pl.Int64).alias("value_cents"),
            (pl.col("param_value") * pl.col("net_income_cents")).round(0).cast(pl.Int64).alias("limit_cents"),
        ).filter(pl.col("value_cents") >= pl.col("limit_cents")).with_columns(fact_key(kind))
        return fired.select((pl.lit(prefix) + pl.col("_fact_key")).alias("alert_key"), "household_id", "person_id",
                            "village_code", "_fact_key", "value_cents", "limit_cents",
                            pl.col("net_income_cents").alias("income_cents"), "param_value", "pack",
                            pl.lit(1, pl.UInt32).alias("facts"))
    # household_sum_over_income: this upload's facts plus the earlier ones of the year, summed per household
    # first; only the households that pass their limit are looked at again, to point the alert at the
    # largest new fact.
    per_household = accepted.group_by("household_id").agg(
        value.sum().alias("new_cents"), pl.len().cast(pl.UInt32).alias("facts"),
        pl.col("village_code").first(), pl.col("net_income_cents").first())
    if earlier_sums is not None and earlier_sums.height:
        per_household = per_household.join(earlier_sums.rename({"cents": "earlier_cents"}), on="household_id",
                                           how="left")
    else:
        per_household = per_household.with_columns(pl.lit(0, pl.Int64).alias("earlier_cents"))
    villages, factors, packs = params.get_column("village_code"), params.get_column("param_value"), params.get_column("pack")
    fired = per_household.with_columns(
        (pl.col("new_cents") + pl.col("earlier_cents").fill_null(0)).alias("value_cents"),
        pl.col("village_code").replace_strict(villages, factors, default=None, return_dtype=pl.Float64)
        .alias("param_value"),
    ).with_columns(
        (pl.col("param_value") * pl.col("net_income_cents")).round(0).cast(pl.Int64).alias("limit_cents"),
    ).filter(pl.col("value_cents") > pl.col("limit_cents")).with_columns(
        pl.col("village_code").replace_strict(villages, packs, default=None, return_dtype=pl.Utf8).alias("pack"))
    largest = (accepted.join(fired.select("household_id"), on="household_id", how="semi")
               .with_columns(fact_key(kind)).sort(value, descending=True).group_by("household_id")
               .agg(pl.col("person_id").first(), pl.col("_fact_key").first()))
    fired = fired.join(largest, on="household_id", how="left")
    return fired.select((pl.lit(f"{prefix}{year}:") + pl.col("household_id").cast(pl.Utf8)).alias("alert_key"),
                        "household_id", "person_id", "village_code", "_fact_key", "value_cents", "limit_cents",
                        pl.col("net_income_cents").alias("income_cents"), "param_value", "pack", "facts")
