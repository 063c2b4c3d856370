"""A counter of changes in this process, for caches of derived figures (menu badges).

Every audit event (every change) bumps it, so a cached figure keyed by the generation is recounted
after any change. The counter lives in Django's cache: per process with the default local-memory
cache, shared by every worker when CACHES points at Redis.
"""

from django.core.cache import cache

_GENERATION_KEY = "fupin:changes:generation"


def data_changed() -> None:
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def data_generation() -> int:
    return cache.get(_GENERATION_KEY, 0)
