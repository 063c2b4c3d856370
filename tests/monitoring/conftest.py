import pytest
from registry.factories import ensure_dictionaries
from support.places import COUNTY, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role


@pytest.fixture
def dictionaries(areas):
    ensure_dictionaries()


@pytest.fixture
def people(make_user, dictionaries):
    """One user per step, so that no one decides what they proposed."""

    class People:
        clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
        workteam = make_user(Role.WORKTEAM_MEMBER, VILLAGE)
        township = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)
        county = make_user(Role.COUNTY_OFFICER, COUNTY)
        county2 = make_user(Role.COUNTY_ADMIN, COUNTY)

    return People
