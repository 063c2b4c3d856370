"""Test-only helpers that live in the package because settings refer to them by dotted path."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still Argon2id, with minimal cost parameters: test users cost milliseconds, not a second each."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
