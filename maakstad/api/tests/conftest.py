from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maakstad.api import services
from maakstad.api.models import Scope
from maakstad.core.testing.world import World
from maakstad.monitoring import services as monitoring_services
from maakstad.monitoring.models import Programme
from maakstad.monitoring.plan_io import read_plan
from maakstad.monitoring.testing import programme_for
from maakstad.organisations.models import Organisation

ALL_SCOPES = list(Scope.values)
MONITORING_DATA = Path(__file__).resolve().parents[2] / "monitoring" / "data"


@pytest.fixture
def make_token(world: World) -> Callable[..., str]:
    """A token for `organisation` (default: school A) with `scopes` (default: all); the secret."""

    def make(organisation: Organisation | None = None, scopes: list[str] | None = None) -> str:
        _token, secret = services.token_create(
            organisation=organisation or world.school_a,
            name="Koppeling",
            scopes=ALL_SCOPES if scopes is None else scopes,
            actor=None,
        )
        return secret

    return make


@pytest.fixture
def api_get(client: Any) -> Callable[..., Any]:
    def get(path: str, secret: str | None = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return client.get(f"/api/v1/{path}", params, headers=headers)

    return get


@pytest.fixture
def programme(world: World) -> Programme:
    programme = programme_for(world)
    report = read_plan(
        (MONITORING_DATA / "milestones.csv").read_text(encoding="utf-8"),
        (MONITORING_DATA / "budget.csv").read_text(encoding="utf-8"),
    )
    monitoring_services.plan_import(programme=programme, report=report, actor=None)
    return programme
