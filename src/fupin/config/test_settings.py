"""Settings for the test suite: production settings (debug off) with a fixed key and plain-HTTP cookies
so the browser tests can sign in over http://localhost."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789abcdef")
os.environ.setdefault("FUPIN_DEBUG", "0")
os.environ.setdefault("FUPIN_INSECURE_COOKIES", "1")
os.environ.setdefault("FUPIN_HSTS_SECONDS", "0")
# Zhangwu, and its neighbour Fuxin county for "another area" cases.
os.environ.setdefault("FUPIN_COUNTIES", "210922,210921")
os.environ.setdefault("FUPIN_DATA_DIR", tempfile.mkdtemp(prefix="fupin-test-"))

from fupin.config.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["*"]
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405  (whitenoise warns about a missing folder)

# Argon2 with minimal cost in tests (production uses Django's Argon2 defaults).
PASSWORD_HASHERS = ["fupin.core.testing.FastArgon2PasswordHasher"]  # noqa: F405

# No cache between tests (a rolled-back test must not leave a count behind); tests of the badge cache
# switch the local-memory cache on for themselves.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
