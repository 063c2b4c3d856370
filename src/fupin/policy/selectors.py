"""Reads of policy packs for the CLI, API and other apps (the engine itself knows nothing of Django)."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from fupin.policy.engine import Pack, PackSet, load_folder, shipped_folder


def pack_folder(folder: str | Path | None = None) -> Path:
    """The pack folder: an explicit one, else settings.FUPIN_POLICY_DIR, else the packs shipped in the package."""
    chosen = folder or getattr(settings, "FUPIN_POLICY_DIR", None)
    return Path(chosen) if chosen else shipped_folder()


@functools.lru_cache(maxsize=8)
def _cached(folder: str) -> PackSet:
    return load_folder(folder)


def pack_set(folder: str | Path | None = None, *, fresh: bool = False) -> PackSet:
    """Every valid pack of the folder, with the problems of the invalid ones (validated once per process)."""
    path = str(pack_folder(folder))
    if fresh:
        _cached.cache_clear()
    return _cached(path)


def pack_get(ref: str, folder: str | Path | None = None) -> Pack:
    """A pack by `id@version` or `id` (highest version); KeyError names the known packs."""
    return pack_set(folder).get(ref)


def packs_for_area(code: str, year: int, folder: str | Path | None = None) -> list[Pack]:
    """The published packs that apply to an area in a year, most specific jurisdiction first."""
    return pack_set(folder).for_area(code, year)


# ---- stored screening results ------------------------------------------------------------------------

def runs_visible(actor):
    """Screening runs over areas the actor may see (policy.view), newest first."""
    from fupin.accounts.access import scope
    from fupin.policy.models import ScreeningRun

    return scope(ScreeningRun.objects.all(), actor, "policy.view", code_path="area_code").select_related("created_by")


def run_get(actor, run_id: int):
    from fupin.accounts.access import access_object
    from fupin.policy.models import ScreeningRun

    return access_object(actor, ScreeningRun.objects.all(), run_id, "policy.view", code_path="area_code")


def run_decisions(actor, run):
    """The stored decisions of a run, narrowed again to the villages the actor may see (a township
    reviewer looking at a county run sees their own township's rows)."""
    from fupin.accounts.access import scope
    from fupin.policy.models import StoredDecision

    qs = StoredDecision.objects.filter(run=run).select_related("household")
    return scope(qs, actor, "policy.view", code_path="area_code").order_by("household__household_number", "rule")


def latest_stored(household) -> tuple[object, dict]:
    """The latest run that decided this household, and its decisions by rule ({} when never screened)."""
    from fupin.policy.models import ScreeningRun, StoredDecision

    last = StoredDecision.objects.filter(household=household).order_by("-run_id").values_list("run_id", flat=True)[:1]
    run = ScreeningRun.objects.filter(pk__in=list(last)).first()
    if run is None:
        return None, {}
    return run, {d.rule: d for d in StoredDecision.objects.filter(run=run, household=household)}
