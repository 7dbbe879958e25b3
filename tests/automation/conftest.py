from __future__ import annotations

import pytest

from tests.automation.world import World
from tests.helpers import Crm


@pytest.fixture
def world(crm: Crm) -> World:
    return World(crm)
