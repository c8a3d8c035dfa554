from __future__ import annotations

from typing import Any

import pytest

from maakstad.catalogue import services
from maakstad.catalogue.models import ActivityType


@pytest.fixture
def types(world: Any) -> dict[str, ActivityType]:
    return {t.code: t for t in services.activity_types_ensure_defaults(world.region)}
