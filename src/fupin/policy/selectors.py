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
