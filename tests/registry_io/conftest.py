import pytest
from registry.factories import ensure_dictionaries


@pytest.fixture
def dictionaries(areas):
    ensure_dictionaries()
