"""`fupin bench dashboard` at a small size: it runs, compares with the on-the-fly baseline measured in
the same run, and cleans up the rows it wrote. Its setup writes generated households with COPY (or one
executemany on SQLite): the stored values are the generator's, field for field. The load mode's user
loop and figures are checked against a stub server (gunicorn itself is not started here)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fupin.core.bench import workloads
from fupin.progress import bench
from fupin.progress.models import AreaIndicator
from fupin.registry.bulk import county_villages, registry_generate_db
from fupin.registry.generator import generate_households
from fupin.registry.models import Household, Person


@pytest.mark.django_db
def test_dashboard_benchmark_small(areas):
    fn, default_size, _help = workloads()["dashboard"]
    assert default_size == 2000
    outcome = fn(size=300, seed=1)
    assert set(outcome.baselines) == {"on_the_fly"}
    assert outcome.extra["persons"] >= 300 and outcome.extra["incremental_villages"] == 1
    assert outcome.result.seconds > 0 and outcome.extra["page_p95_ms"] > 0
    assert not Household.objects.filter(year=outcome.extra["year"]).exists()
    assert not AreaIndicator.objects.filter(year=outcome.extra["year"]).exists()


@pytest.mark.django_db
def test_bulk_write_stores_the_generated_values(areas):
    deleted = Household.objects.create(year=2019, household_number="x-earlier", village_id=county_villages_pk()).pk
    Household.objects.filter(pk=deleted).delete()
    result = registry_generate_db(actor=None, county_code="210922", households=120, seed=9, year=2020, batch_size=50)
    records = list(generate_households(county_villages("210922"), households=120, seed=9, year=2020))
    assert (result.households, result.persons) == (120, sum(len(people) for _h, people in records))
    stored = {h.household_number: h for h in Household.objects.filter(year=2020).select_related("village")}
    for values, people in records:
        household = stored[values["household_number"]]
        assert household.village.code == values["village"]
        for field in Household._meta.concrete_fields:
            if field.name in values and field.name != "village":
                assert getattr(household, field.name) == values[field.name], field.name
        assert (household.version, household.pairing_cadre_id) == (1, None)
        assert household.created_at is not None and household.updated_at == household.created_at
        members = {p.person_number: p for p in household.persons.all()}
        assert sorted(members) == sorted(p["person_number"] for p in people)
        for person in people:
            member = members[person["person_number"]]
            assert member.year == 2020
            assert all(getattr(member, k) == v for k, v in person.items()), person["person_number"]
    # Keys are fresh: never one given before, and a household created afterwards through the ORM gets its own.
    assert min(h.pk for h in stored.values()) > deleted
    later = Household.objects.create(year=2020, household_number="x-later", village_id=county_villages_pk())
    assert later.pk > max(h.pk for h in stored.values())
    assert Person.objects.filter(year=2020).count() == result.persons


def county_villages_pk() -> int:
    from fupin.areas.models import Area

    return Area.objects.current().get(code=county_villages("210922")[0].code).pk


class _Stub(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server hook's name)
        self.send_response(200 if self.path.startswith("/ok") else 404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_users_open_every_page_when_warming(stub_port):
    pages = {"good": lambda rng: "/ok", "bad": lambda rng: "/missing"}
    samples = bench._run_users(stub_port, ["c=1", "c=2", "c=3"], pages, rounds=2)
    assert len(samples) == 12 and {s.kind for s in samples} == {"good", "bad"}
    assert sorted({s.status for s in samples}) == [200, 404]


def test_load_users_pace_themselves_every_two_seconds(stub_port):
    samples = bench._run_users(stub_port, ["c=1", "c=2"], {"good": lambda rng: "/ok"}, seconds=2.5)
    assert 2 <= len(samples) <= 4  # each user: one request after its arrival, maybe a second at +2 s
    assert all(s.status == 200 and s.seconds < 2 for s in samples)


def test_load_figures():
    assert bench._spread([]) == {"p50_ms": None, "p99_ms": None, "max_ms": None}
    spread = bench._spread([0.01] * 98 + [0.2, 0.5])
    assert spread == {"p50_ms": 10.0, "p99_ms": 200.0, "max_ms": 500.0}
    usage = bench._Usage(threading.get_native_id())
    sum(range(10**5))
    taken = usage.taken()
    if taken is not None:  # Linux (over so short a time the clock ticks make the shares coarse)
        figures = bench._cpu_figures(taken, 10)
        assert figures["server_cpu_ms_per_request"] >= 0 and figures["machine_busy_percent"] >= 0
        assert figures["loadavg_start"] >= 0
