import pytest

from .factories import ensure_dictionaries


@pytest.fixture
def dictionaries(areas):
    """The shipped code lists (loaded once per database; reloaded after a flush)."""
    ensure_dictionaries()
