"""Every URL in the project, as every role: the expected outcome or a failing test.

The URL names come from the URL conf itself, so a new view without declared expectations fails
`test_every_url_has_expectations`. Expectations live in `maakstad/<app>/tests/urlmatrix.py`.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import maakstad
from maakstad.core.testing.matrix import (
    BAD_REQUEST,
    DENIED,
    LOGIN,
    NOT_ALLOWED,
    OK,
    REDIRECT,
    UNAUTHORIZED,
    Expect,
)
from maakstad.core.testing.world import ROLES

# Django's own views that we mount (language switch) are declared here.
FRAMEWORK_URLS = {"set_language"}


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _collect() -> dict[str, Expect]:
    found: dict[str, Expect] = {}
    for module in pkgutil.iter_modules(maakstad.__path__):
        try:
            matrix = importlib.import_module(f"maakstad.{module.name}.tests.urlmatrix")
        except ModuleNotFoundError as error:
            if error.name and error.name.startswith(f"maakstad.{module.name}.tests"):
                continue
            raise
        for name, expectation in matrix.EXPECTATIONS.items():
            assert name not in found, f"{name} declared twice"
            found[name] = expectation
    return found


EXPECTATIONS = _collect()


def test_every_url_has_expectations() -> None:
    undeclared = _url_names() - set(EXPECTATIONS) - FRAMEWORK_URLS
    assert not undeclared, f"URLs without permission expectations: {sorted(undeclared)}"
    stale = set(EXPECTATIONS) - _url_names()
    assert not stale, f"Expectations for URLs that no longer exist: {sorted(stale)}"


def _matches(outcome: str, response) -> bool:  # type: ignore[no-untyped-def]
    status = response.status_code
    location = response.headers.get("Location", "")
    if outcome == OK:
        return status in (200, 204)
    if outcome == LOGIN:
        return status == 302 and reverse("accounts:login") in location
    if outcome == DENIED:
        return status in (403, 404)
    if outcome == REDIRECT:
        return status in (301, 302, 303) and reverse("accounts:login") not in location
    if outcome == NOT_ALLOWED:
        return status == 405
    if outcome == BAD_REQUEST:
        return status == 400
    if outcome == UNAUTHORIZED:
        return status == 401
    raise AssertionError(f"unknown outcome {outcome}")


CASES = [(name, role) for name in sorted(EXPECTATIONS) for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_url_as_role(url_name: str, role: str, world, client) -> None:  # type: ignore[no-untyped-def]
    expectation = EXPECTATIONS[url_name]
    if expectation.setup:
        expectation.setup(world)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url = reverse(url_name, kwargs=expectation.kwargs(world) if expectation.kwargs else None)
    if expectation.query:
        url = f"{url}?{expectation.query}"
    data = expectation.data(world) if expectation.data else {}
    response = getattr(client, expectation.method)(url, data)
    wanted = expectation.outcomes[role]
    assert _matches(wanted, response), (
        f"{url_name} as {role}: expected {wanted}, got {response.status_code} "
        f"{response.headers.get('Location', '')}"
    )
