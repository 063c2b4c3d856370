"""A counter of changes in this process, and the time of the last one, for caches of derived figures
(menu badges).

Every audit event (every change) bumps the counter and stamps the time, so a cached figure keyed by the
generation, or computed before the stamp, is recounted after any change. Both live in Django's cache:
per process with the default local-memory cache, shared by every worker when CACHES points at Redis.
"""

import time

from django.core.cache import cache

_GENERATION_KEY = "fupin:changes:generation"
_CHANGED_AT_KEY = "fupin:changes:at"


def data_changed() -> None:
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)
    cache.set(_CHANGED_AT_KEY, time.time(), None)


def data_generation() -> int:
    return cache.get(_GENERATION_KEY, 0)


def data_changed_at() -> float | None:
    """The time of the last change this process knows of. A process that has seen none yet takes its
    first asking as that time (it cannot vouch for anything older). None when the cache keeps nothing
    (the tests' dummy cache): then nothing derived may be kept."""
    at = cache.get(_CHANGED_AT_KEY)
    if at is None:
        cache.add(_CHANGED_AT_KEY, time.time(), None)
        at = cache.get(_CHANGED_AT_KEY)
    return at
