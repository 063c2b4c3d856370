"""The database side of an import: staging tables, set-based checks, one set-based merge.

Valid households go into two temporary tables (`COPY` on PostgreSQL through psycopg 3, `executemany`
on SQLite), outside any long transaction, so a big file never holds locks while it is being read.
Then, in one transaction:

1. the checks that need the whole file or the database, each one SQL statement: the same 人编号 or
   certificate number in two households of the file; a certificate number already registered in
   another household of the year; a 人编号 that belongs to another household; members the system
   holds for a household that the file leaves out; households that exist in a village outside the
   importer's areas or in a frozen year; a 户状态/脱贫年度 that differs from the system's (those change
   only through the lifecycle review); new households in a status other than 拟纳入 without the
   approving role (as `household_create`);
2. the merge, by (年度, 户编号) and (年度, 人编号): changed households and members are updated (the
   household's version moves on, so an edit opened before the import is refused as stale),
   new ones inserted, identical ones left alone — re-importing a file changes nothing.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from fupin.accounts.access import actor_prefixes, scope_sql
from fupin.areas.models import Area
from fupin.registry import schema
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.io.problems import ImportProblem
from fupin.registry.io.records import HOUSEHOLD_COLUMNS, PERSON_COLUMNS
from fupin.registry.models import Household, Person

H_STAGE = "fupin_import_household"
P_STAGE = "fupin_import_person"
BAD_STAGE = "fupin_import_rejected"
HOUSEHOLD = Household._meta.db_table
PERSON = Person._meta.db_table
AREA = Area._meta.db_table
_H_KEYS = ["row_first", "row_last", "household_number", "village_id"]
_P_KEYS = ["row_number", "household_number", "person_number"]


def _shown(spec, value, codes) -> str:
    if value in (None, ""):
        return "（空）"
    if spec.type == "choice":
        return dict(spec.choices).get(value, value)
    if spec.type == "code":
        return codes.label(spec.dictionary, value)
    return str(value)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _db_type(model, name: str) -> str:
    return model._meta.get_field(name).db_type(connection)


def _same(a: str, b: str) -> str:
    """NULL-safe equality."""
    return f"{a} IS NOT DISTINCT FROM {b}" if connection.vendor == "postgresql" else f"{a} IS {b}"


def _differ(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if connection.vendor == "postgresql" else f"{a} IS NOT {b}"


def copy_frames(cursor, table: str, frames, *, writer=None) -> None:
    """COPY Polars frames (all with the same columns, named as the table's) into `table` on PostgreSQL,
    as CSV text; NULL is written \\N so that an empty text stays empty."""
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        return
    columns = ", ".join(_q(n) for n in first.columns)
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')", writer=writer) as copy:
        for frame in itertools.chain([first], frames):
            copy.write(frame.write_csv(include_header=False, null_value="\\N"))


def duplicate_problems(rows, column: str, headers: dict[str, str]) -> list[ImportProblem]:
    """The rows (row, 户编号, 人编号, value) whose 人编号 or certificate number occurs more than once in
    the file, in value then row order, as problems naming every place it occurs."""
    label = {"person_number": "人编号", "id_number": "证件号码"}[column]
    rows = list(rows)
    where: dict[str, list[str]] = {}
    for row, hn, _pn, value in rows:
        where.setdefault(value, []).append(f"户{hn}（第{row}行）")
    return [ImportProblem(row, headers[column], f"{label}“{value}”在文件中出现在多户：{'、'.join(where[value])}；"
                          "同一人同一年度只能属于一户", f"duplicate_{column}", hn, pn) for row, hn, pn, value in rows]


class Stage:
    """The two staging tables of one import, on the default connection's session."""

    def __init__(self, *, year: int, household_present: Sequence[str], person_present: Sequence[str]):
        self.year = year
        self.household_present = list(household_present)
        self.person_present = list(person_present)
        self.postgres = connection.vendor == "postgresql"
        self.households = 0
        self.persons = 0

    # ---------------------------------------------------------------------------- table lifecycle
    def create(self) -> None:
        temp = "TEMPORARY"
        h_cols = ["row_first integer", "row_last integer", "household_number varchar(30)", "village_id bigint",
                  *[f"{_q(n)} {_db_type(Household, n)}" for n in HOUSEHOLD_COLUMNS],
                  "existing_id bigint", "changed smallint DEFAULT 0"]
        p_cols = ["row_number integer", "household_number varchar(30)", "person_number varchar(30)",
                  *[f"{_q(n)} {_db_type(Person, n)}" for n in PERSON_COLUMNS],
                  "existing_id bigint", "changed smallint DEFAULT 0"]
        with connection.cursor() as c:
            self.drop(c)
            c.execute(f"CREATE {temp} TABLE {H_STAGE} ({', '.join(h_cols)})")
            c.execute(f"CREATE {temp} TABLE {P_STAGE} ({', '.join(p_cols)})")
            c.execute(f"CREATE {temp} TABLE {BAD_STAGE} (household_number varchar(30))")

    def drop(self, cursor=None) -> None:
        with contextlib.ExitStack() as stack:
            c = cursor or stack.enter_context(connection.cursor())
            for table in (H_STAGE, P_STAGE, BAD_STAGE):
                c.execute(f"DROP TABLE IF EXISTS {table}")

    # -------------------------------------------------------------------------------------- write
    def write(self, households: list[tuple], persons: list[tuple]) -> None:
        """One batch of valid households and their members."""
        if not households:
            return
        h_cols = ", ".join([*_H_KEYS, *(_q(n) for n in HOUSEHOLD_COLUMNS)])
        p_cols = ", ".join([*_P_KEYS, *(_q(n) for n in PERSON_COLUMNS)])
        if self.postgres:
            with transaction.atomic(), connection.cursor() as c:
                raw = c.cursor
                with raw.copy(f"COPY {H_STAGE} ({h_cols}) FROM STDIN") as copy:
                    for row in households:
                        copy.write_row(row)
                with raw.copy(f"COPY {P_STAGE} ({p_cols}) FROM STDIN") as copy:
                    for row in persons:
                        copy.write_row(row)
        else:
            self._sqlite_insert([(H_STAGE, [*_H_KEYS, *HOUSEHOLD_COLUMNS], households),
                                 (P_STAGE, [*_P_KEYS, *PERSON_COLUMNS], persons)])
        self.households += len(households)
        self.persons += len(persons)

    def write_frames(self, households, persons) -> None:
        """Staging rows as Polars frames in the tables' column order (columnar.py): one COPY in CSV
        form per table on PostgreSQL, executemany on SQLite."""
        if self.postgres:
            with transaction.atomic(), connection.cursor() as c:
                for table, frame in ((H_STAGE, households), (P_STAGE, persons)):
                    copy_frames(c.cursor, table, [frame])
        else:
            self._sqlite_insert([(H_STAGE, households.columns, households.iter_rows()),
                                 (P_STAGE, persons.columns, persons.iter_rows())])
        self.households += households.height
        self.persons += persons.height

    def _sqlite_insert(self, batches) -> None:
        raw = connection.connection
        own = not connection.in_atomic_block
        cursor = raw.cursor()
        try:
            if own:
                cursor.execute("BEGIN")  # deferred: only the temporary database is written
            for table, columns, rows in batches:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(_q(n) for n in columns)}) "
                                   f"VALUES ({', '.join('?' * len(columns))})", rows)
            if own:
                cursor.execute("COMMIT")
        except Exception:
            if own:
                cursor.execute("ROLLBACK")
            raise
        finally:
            cursor.close()

    def counties(self) -> list[str]:
        """The 6-digit codes of the counties of the staged households."""
        return sorted(r[0] for r in self._rows(
            f"SELECT DISTINCT substr(a.code, 1, 6) FROM {H_STAGE} s JOIN {AREA} a ON a.id = s.village_id"))

    def index(self) -> None:
        with connection.cursor() as c:
            c.execute(f"CREATE INDEX {H_STAGE}_hn ON {H_STAGE} (household_number)")
            c.execute(f"CREATE INDEX {P_STAGE}_pn ON {P_STAGE} (person_number)")
            c.execute(f"CREATE INDEX {P_STAGE}_hn ON {P_STAGE} (household_number)")
            c.execute(f"CREATE INDEX {P_STAGE}_id ON {P_STAGE} (id_number)")
            c.execute(f"ANALYZE {H_STAGE}")
            c.execute(f"ANALYZE {P_STAGE}")

    # ------------------------------------------------------------------------------------- checks
    def _rows(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with connection.cursor() as c:
            c.execute(sql, list(params))
            return c.fetchall()

    def year_has_households(self) -> bool:
        return bool(self._rows(f"SELECT 1 FROM {HOUSEHOLD} WHERE year = %s LIMIT 1", [self.year]))

    def checks(self, *, actor, system: bool, frozen_counties: frozenset[str], lifecycle_in_file: Sequence[str],
               headers: dict[str, str]) -> list[ImportProblem]:
        """Every problem the whole file and the database reveal, as row problems."""
        out: list[ImportProblem] = []
        h = headers
        for column in ("person_number", "id_number"):
            out += duplicate_problems(self._rows(
                f"SELECT s.row_number, s.household_number, s.person_number, s.{column} FROM {P_STAGE} s "
                f"JOIN (SELECT {column} FROM {P_STAGE} GROUP BY {column} HAVING COUNT(*) > 1) d "
                f"ON d.{column} = s.{column} ORDER BY s.{column}, s.row_number"), column, h)
        if self.year_has_households():
            out += self._database_checks(actor=actor, system=system, frozen_counties=frozen_counties,
                                         lifecycle_in_file=lifecycle_in_file, headers=headers)
        if not system:
            out += self._new_status_checks(actor, headers)
        return out

    def _database_checks(self, *, actor, system, frozen_counties, lifecycle_in_file, headers) -> list[ImportProblem]:
        out: list[ImportProblem] = []
        y = self.year
        for row, hn, pn, other in self._rows(
                f"SELECT s.row_number, s.household_number, s.person_number, h.household_number FROM {P_STAGE} s "
                f"JOIN {PERSON} q ON q.year = %s AND q.id_number = s.id_number "
                f"JOIN {HOUSEHOLD} h ON h.id = q.household_id WHERE h.household_number <> s.household_number "
                f"AND NOT EXISTS (SELECT 1 FROM {P_STAGE} s2 WHERE s2.person_number = q.person_number "
                f"AND s2.id_number <> q.id_number)", [y]):
            out.append(ImportProblem(row, headers["id_number"], f"证件号码：此人已登记在{y}年度的户 {other} 中，"
                                     "同一人同一年度只能属于一户", "person_in_two_households", hn, pn))
        for row, hn, pn, other in self._rows(
                f"SELECT s.row_number, s.household_number, s.person_number, h.household_number FROM {P_STAGE} s "
                f"JOIN {PERSON} q ON q.year = %s AND q.person_number = s.person_number "
                f"JOIN {HOUSEHOLD} h ON h.id = q.household_id WHERE h.household_number <> s.household_number", [y]):
            out.append(ImportProblem(row, headers["person_number"], f"人编号：{pn} 在系统中属于户 {other}，"
                                     "导入不能把成员移到另一户", "person_in_other_household", hn, pn))
        for row, hn, pn, name, _status in self._rows(
                f"SELECT sh.row_first, sh.household_number, q.person_number, q.name, q.status FROM {H_STAGE} sh "
                f"JOIN {HOUSEHOLD} h ON h.year = %s AND h.household_number = sh.household_number "
                f"JOIN {PERSON} q ON q.household_id = h.id "
                f"WHERE NOT EXISTS (SELECT 1 FROM {P_STAGE} s WHERE s.person_number = q.person_number) "
                f"ORDER BY sh.row_first, q.person_number", [y]):
            out.append(ImportProblem(row, headers["person_number"],
                                     f"系统中本户还有成员 {name}（人编号 {pn}），文件中没有这一行；导入须列出本户全部成员"
                                     "（已去世或迁出的成员请保留并填写人员状态）", "member_missing", hn, pn))
        status_sql = " OR ".join(_differ(f"h.{n}", f"sh.{n}") for n in lifecycle_in_file) or "1 = 0"
        scope, scope_params = ("1 = 1", []) if system else scope_sql(actor, "registry.edit", "a.code")
        frozen = sorted(c[:6] for c in frozen_counties)
        frozen_sql = (f"substr(a.code, 1, 6) IN ({', '.join(['%s'] * len(frozen))})" if frozen else "1 = 0")
        lifecycle = ("status", "exit_year", "household_type")
        rows = self._rows(
            f"SELECT sh.row_first, sh.household_number, a.code, a.name, "
            f"{', '.join(f'h.{n}' for n in lifecycle)}, {', '.join(f'sh.{n}' for n in lifecycle)} "
            f"FROM {H_STAGE} sh JOIN {HOUSEHOLD} h ON h.year = %s AND h.household_number = sh.household_number "
            f"JOIN {AREA} a ON a.id = h.village_id WHERE NOT {scope} OR {frozen_sql} OR {status_sql}",
            [y, *scope_params, *frozen])
        codes = code_lists_for_year(y)
        for row, hn, code, village, *values in rows:
            if not system and not any(code.startswith(p) for p in actor_prefixes(actor, "registry.edit")):
                out.append(ImportProblem(row, headers["household_number"], f"户编号：{hn} 在系统中属于{village}（{code}），"
                                         "不在您的管辖范围内", "household_out_of_scope", hn))
                continue
            if code[:6] in frozen:
                out.append(ImportProblem(row, headers["year"], f"户 {hn} 所在县的{y}年度已封存，不能修改", "year_frozen", hn))
                continue
            current, given = dict(zip(lifecycle, values[:3], strict=True)), dict(zip(lifecycle, values[3:], strict=True))
            for name in lifecycle_in_file:
                if current[name] != given[name]:
                    spec = schema.field(schema.HOUSEHOLD, name)
                    shown = [_shown(spec, v, codes) for v in (current[name], given[name])]
                    out.append(ImportProblem(row, headers[name], f"{spec.label}：系统中为“{shown[0]}”，文件中为“{shown[1]}”；"
                                             f"{spec.label}只能通过状态变更（识别、退出、返贫等）的审核流程修改",
                                             f"{name}_change", hn))
                    break
        return out

    def _new_status_checks(self, actor, headers) -> list[ImportProblem]:
        approve_sql, approve_params = scope_sql(actor, "registry.approve", "a.code")
        statuses = dict(schema.HOUSEHOLD_STATUSES)
        out = []
        for row, hn, status in self._rows(
                f"SELECT sh.row_first, sh.household_number, sh.status FROM {H_STAGE} sh "
                f"JOIN {AREA} a ON a.id = sh.village_id WHERE sh.status <> 'candidate' AND NOT {approve_sql} "
                f"AND NOT EXISTS (SELECT 1 FROM {HOUSEHOLD} h WHERE h.year = %s "
                f"AND h.household_number = sh.household_number) ORDER BY sh.row_first",
                [*approve_params, self.year]):
            out.append(ImportProblem(row, headers["status"], f"户状态：新建户只能是“拟纳入”，经识别审核后纳入；以"
                                     f"“{statuses.get(status, status)}”直接建档需要县级审批权限", "status_needs_approval", hn))
        return out

    def discard(self, household_numbers: Iterable[str]) -> None:
        """Take households out of the staging tables (partial mode: they are reported, not imported)."""
        numbers = [(n,) for n in sorted(set(household_numbers))]
        if not numbers:
            return
        with connection.cursor() as c:
            c.execute(f"DELETE FROM {BAD_STAGE}")
            c.executemany(f"INSERT INTO {BAD_STAGE} (household_number) VALUES (%s)", numbers)
            for table in (P_STAGE, H_STAGE):
                c.execute(f"DELETE FROM {table} WHERE household_number IN (SELECT household_number FROM {BAD_STAGE})")

    # -------------------------------------------------------------------------------------- merge
    def merge(self, *, now) -> dict[str, int]:
        """Write the staged households and members; returns the counts. Call inside a transaction."""
        y = self.year
        stamp = connection.ops.adapt_datetimefield_value(now)
        counts = {"households_created": 0, "households_updated": 0, "households_unchanged": 0,
                  "persons_created": 0, "persons_updated": 0, "persons_unchanged": 0}
        with connection.cursor() as c:
            if self.year_has_households():
                self._mark_existing(c)
            for table, entity in ((H_STAGE, "households"), (P_STAGE, "persons")):
                c.execute(f"SELECT SUM(CASE WHEN existing_id IS NULL THEN 1 ELSE 0 END), "
                          f"SUM(CASE WHEN existing_id IS NOT NULL AND changed = 1 THEN 1 ELSE 0 END), "
                          f"SUM(CASE WHEN existing_id IS NOT NULL AND changed = 0 THEN 1 ELSE 0 END) FROM {table}")
                created, updated, unchanged = (int(x or 0) for x in c.fetchone())
                counts.update({f"{entity}_created": created, f"{entity}_updated": updated,
                               f"{entity}_unchanged": unchanged})
            existing = counts["households_updated"] + counts["households_unchanged"]
            if existing:
                self._update_existing(c, stamp)
            h_cols = ", ".join(_q(n) for n in HOUSEHOLD_COLUMNS)
            c.execute(f"INSERT INTO {HOUSEHOLD} (year, household_number, village_id, {h_cols}, pairing_cadre_id, "
                      f"version, created_at, updated_at) SELECT %s, household_number, village_id, {h_cols}, NULL, 1, "
                      f"%s, %s FROM {H_STAGE} WHERE existing_id IS NULL", [y, stamp, stamp])
            p_cols = ", ".join(_q(n) for n in PERSON_COLUMNS)
            p_select = ", ".join(f"s.{_q(n)}" for n in PERSON_COLUMNS)
            c.execute(f"INSERT INTO {PERSON} (household_id, year, person_number, {p_cols}) "
                      f"SELECT h.id, %s, s.person_number, {p_select} FROM {P_STAGE} s "
                      f"JOIN {HOUSEHOLD} h ON h.year = %s AND h.household_number = s.household_number "
                      f"WHERE s.existing_id IS NULL", [y, y])
        return counts

    def _mark_existing(self, c) -> None:
        y = self.year
        c.execute(f"UPDATE {H_STAGE} SET existing_id = (SELECT h.id FROM {HOUSEHOLD} h WHERE h.year = %s "
                  f"AND h.household_number = {H_STAGE}.household_number)", [y])
        c.execute(f"UPDATE {P_STAGE} SET existing_id = (SELECT q.id FROM {PERSON} q WHERE q.year = %s "
                  f"AND q.person_number = {P_STAGE}.person_number)", [y])
        same_p = " AND ".join(_same(f"q.{_q(n)}", f"{P_STAGE}.{_q(n)}") for n in self.person_present) or "1 = 1"
        c.execute(f"UPDATE {P_STAGE} SET changed = 1 WHERE existing_id IS NULL OR NOT EXISTS "
                  f"(SELECT 1 FROM {PERSON} q WHERE q.id = {P_STAGE}.existing_id AND {same_p})")
        same_h = " AND ".join(_same(f"h.{_q(n)}", f"{H_STAGE}.{_q(n)}") for n in self.household_present) or "1 = 1"
        c.execute(f"UPDATE {H_STAGE} SET changed = 1 WHERE existing_id IS NULL OR NOT EXISTS "
                  f"(SELECT 1 FROM {HOUSEHOLD} h WHERE h.id = {H_STAGE}.existing_id "
                  f"AND h.village_id = {H_STAGE}.village_id AND {same_h}) "
                  f"OR EXISTS (SELECT 1 FROM {P_STAGE} s WHERE s.household_number = {H_STAGE}.household_number "
                  f"AND s.changed = 1)")
        if not self.postgres:
            return
        c.execute(f"ANALYZE {H_STAGE}")
        c.execute(f"ANALYZE {P_STAGE}")

    def _update_existing(self, c, stamp) -> None:
        head = schema.HEAD_RELATION
        # Members who stop being the head or leave go first, so the one-head index never sees two heads.
        c.execute(f"UPDATE {PERSON} AS t SET relation = s.relation, status = s.status FROM {P_STAGE} AS s "
                  f"WHERE t.id = s.existing_id AND s.changed = 1 AND t.relation = %s AND t.status = 'active' "
                  f"AND (s.relation <> %s OR s.status <> 'active')", [head, head])
        sets = ", ".join(f"{_q(n)} = s.{_q(n)}" for n in self.household_present)
        c.execute(f"UPDATE {HOUSEHOLD} AS t SET village_id = s.village_id, {sets}, version = t.version + 1, "
                  f"updated_at = %s FROM {H_STAGE} AS s WHERE t.id = s.existing_id AND s.changed = 1", [stamp])
        # Certificate numbers that change step aside first, so two members may swap them (a correction)
        # without the unique index seeing one number twice halfway through the update.
        c.execute(f"UPDATE {PERSON} AS t SET id_number = %s || CAST(t.id AS varchar(20)) FROM {P_STAGE} AS s "
                  f"WHERE t.id = s.existing_id AND s.changed = 1 AND t.id_number <> s.id_number", ["#"])
        p_sets = ", ".join(f"{_q(n)} = s.{_q(n)}" for n in self.person_present)
        c.execute(f"UPDATE {PERSON} AS t SET {p_sets} FROM {P_STAGE} AS s "
                  f"WHERE t.id = s.existing_id AND s.changed = 1")
