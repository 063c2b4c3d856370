"""`fupin demo` ships the registry: generated households for Zhangwu 2020, the demo cadre paired."""

import pytest

from fupin.demo.services import DEMO_CADRE_HOUSEHOLDS, DEMO_CADRE_VILLAGE, demo_registry, demo_setup
from fupin.registry.models import Household

pytestmark = pytest.mark.django_db


def test_demo_generates_once_and_pairs_the_cadre(areas):
    demo_setup(households=400)
    assert Household.objects.filter(year=2020, village__code__startswith="210922").count() == 400
    paired = Household.objects.filter(pairing_cadre__username="cadre")
    assert 0 < paired.count() <= DEMO_CADRE_HOUSEHOLDS
    assert set(paired.values_list("village__code", flat=True)) == {DEMO_CADRE_VILLAGE}
    assert demo_registry(households=400) == 0
    demo_setup(households=400)
    assert Household.objects.count() == 400
