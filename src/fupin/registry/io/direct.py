"""The first import of a year: checked households kept as frames and written straight into the registry.

When the year holds no household yet there is nothing to compare with, update or protect, so the
staging tables (staging.py) would only be a second copy of every row. `Direct` offers the same steps
as `Stage` — the whole-file checks, discarding the rejected households, the merge — over Polars
frames held in memory, and writes each table once: COPY in CSV form on PostgreSQL, executemany on
SQLite; the members get their household's id from the rows just written. The importer decides
under its lock, inside the transaction: should another import have filled the year meanwhile, the
frames go into the staging tables and the usual path takes over.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

import polars as pl
from django.db import connection, models, transaction
from psycopg.copy import QueuedLibpqWriter

from fupin.accounts.access import actor_prefixes
from fupin.registry import schema
from fupin.registry.io.problems import ImportProblem
from fupin.registry.io.records import HOUSEHOLD_COLUMNS, PERSON_COLUMNS
from fupin.registry.io.staging import HOUSEHOLD, PERSON, Stage, copy_frames, duplicate_problems
from fupin.registry.models import Household, Person

SLICE_ROWS = 50_000
SQLITE_CACHE_KIB = -262_144  # 256 MB (negative: KiB, as SQLite's cache_size takes it)


def _dtype(model, name: str):
    field = model._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        return pl.Boolean
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return pl.Date
    if isinstance(field, models.IntegerField | models.BigIntegerField | models.SmallIntegerField):
        return pl.Int64
    return pl.String  # text, codes, JSON text and amounts (as the Decimal's text)


H_SCHEMA = {"row_first": pl.Int64, "row_last": pl.Int64, "household_number": pl.String, "village_id": pl.Int64,
            **{n: _dtype(Household, n) for n in HOUSEHOLD_COLUMNS}}
P_SCHEMA = {"row_number": pl.Int64, "household_number": pl.String, "person_number": pl.String,
            **{n: _dtype(Person, n) for n in PERSON_COLUMNS}}


def rows_frame(rows: list[tuple], frame_schema: dict) -> pl.DataFrame:
    """Staging tuples of the per-record path as a frame (amounts as the text the database gets)."""
    text = [tuple(str(v) if isinstance(v, Decimal) else v for v in row) for row in rows]
    return pl.DataFrame(text, schema=frame_schema, orient="row")


class Direct:
    """A year's first import, held as frames until the merge."""

    def __init__(self, *, year: int, villages: dict[int, str]):
        self.year = year
        self.codes_of = villages  # village pk → area code
        self.h_parts: list[pl.DataFrame] = []
        self.p_parts: list[pl.DataFrame] = []

    # ------------------------------------------------------------------------------------ collect
    def add_frames(self, households: pl.DataFrame, persons: pl.DataFrame) -> None:
        self.h_parts.append(households.cast(H_SCHEMA))  # type: ignore[arg-type]
        self.p_parts.append(persons.cast(P_SCHEMA))  # type: ignore[arg-type]

    def add_rows(self, households: list[tuple], persons: list[tuple]) -> None:
        self.add_frames(rows_frame(households, H_SCHEMA), rows_frame(persons, P_SCHEMA))

    def _frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        # rechunk=False: the parts stay where they are, a million members are not copied again
        h = pl.concat(self.h_parts, rechunk=False) if self.h_parts else pl.DataFrame(schema=H_SCHEMA)
        p = pl.concat(self.p_parts, rechunk=False) if self.p_parts else pl.DataFrame(schema=P_SCHEMA)
        self.h_parts, self.p_parts = [h], [p]
        return h, p

    def to_stage(self, stage: Stage) -> None:
        """Hand everything to the staging tables (the year is no longer empty)."""
        h, p = self._frames()
        stage.write_frames(h, p)

    def counties(self) -> list[str]:
        h, _p = self._frames()
        return sorted({self.codes_of[v][:6] for v in h.get_column("village_id").unique().to_list()})

    # ------------------------------------------------------------------------------------- checks
    def checks(self, *, actor, system: bool, headers: dict[str, str], **_ignored) -> list[ImportProblem]:
        """The whole-file checks of Stage.checks that apply to a year without households."""
        _h, p = self._frames()
        out: list[ImportProblem] = []
        for column in ("person_number", "id_number"):
            twice = (p.filter(pl.col(column).is_duplicated())
                     .select("row_number", "household_number", "person_number", pl.col(column).alias("value"))
                     .sort("value", "row_number"))
            out += duplicate_problems(twice.iter_rows(), column, headers)
        if not system:
            out += self._new_status_checks(actor, headers)
        return out

    def _new_status_checks(self, actor, headers) -> list[ImportProblem]:
        h, _p = self._frames()
        prefixes = tuple(actor_prefixes(actor, "registry.approve"))
        statuses = dict(schema.HOUSEHOLD_STATUSES)
        out = []
        for row, hn, status, village in (h.filter(pl.col("status") != "candidate").sort("row_first")
                                         .select("row_first", "household_number", "status", "village_id").iter_rows()):
            if not self.codes_of[village].startswith(prefixes) or not prefixes:
                out.append(ImportProblem(row, headers["status"], f"户状态：新建户只能是“拟纳入”，经识别审核后纳入；以"
                                         f"“{statuses.get(status, status)}”直接建档需要县级审批权限",
                                         "status_needs_approval", hn))
        return out

    def discard(self, household_numbers) -> None:
        numbers = sorted(set(household_numbers))
        if not numbers:
            return
        h, p = self._frames()
        gone = pl.Series(numbers, dtype=pl.String).implode()
        self.h_parts = [h.filter(~pl.col("household_number").is_in(gone))]
        self.p_parts = [p.filter(~pl.col("household_number").is_in(gone))]

    # -------------------------------------------------------------------------------------- merge
    def merge(self, *, now) -> dict[str, int]:
        """Insert every household, then every member with its household's new id. Call inside a transaction."""
        h, p = self._frames()
        stamp = connection.ops.adapt_datetimefield_value(now)
        constants = (pl.lit(None, pl.Int64).alias("pairing_cadre_id"), pl.lit(1, pl.Int64).alias("version"),
                     pl.lit(stamp).alias("created_at"), pl.lit(stamp).alias("updated_at"))
        _insert(HOUSEHOLD, h, lambda part: part.select(
            pl.lit(self.year, pl.Int64).alias("year"), "household_number", "village_id", *HOUSEHOLD_COLUMNS, *constants))
        with connection.cursor() as c:
            c.execute(f"SELECT household_number, id FROM {HOUSEHOLD} WHERE year = %s", [self.year])
            ids = pl.DataFrame(c.fetchall(), schema={"household_number": pl.String, "household_id": pl.Int64},
                               orient="row")
        _insert(PERSON, p, lambda part: part.join(ids, on="household_number", how="left", maintain_order="left").select(
            "household_id", pl.lit(self.year, pl.Int64).alias("year"), "person_number", *PERSON_COLUMNS))
        return {"households_created": h.height, "households_updated": 0, "households_unchanged": 0,
                "persons_created": p.height, "persons_updated": 0, "persons_unchanged": 0}


def _insert(table: str, frame: pl.DataFrame, shape: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    """Insert `frame`, a slice at a time given the table's columns by `shape`, so no second copy of
    the whole frame is ever held."""
    slices = (shape(part) for part in frame.iter_slices(SLICE_ROWS))
    if connection.vendor == "postgresql":
        # One COPY for the table, fed from a queue by a thread of psycopg's: the server takes in one
        # slice while the next is being shaped here.
        with transaction.atomic(), connection.cursor() as c:
            copy_frames(c.cursor, table, slices, writer=QueuedLibpqWriter(c.cursor))
        return
    first = next(slices, None)
    if first is None:
        return
    columns = ", ".join(connection.ops.quote_name(n) for n in first.columns)
    cursor = connection.connection.cursor()
    # A larger page cache while the indexes of a million members grow: fewer pages read back.
    previous = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        for rows in itertools.chain([first], slices):
            # Dates as the ISO text Django's adapter would make of them, without a Python call per value.
            rows = rows.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(rows.columns))})",
                               rows.iter_rows())
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")
        cursor.close()
