"""Expectations for the URL permission matrix.

Every app declares, in `maakstad/<app>/tests/urlmatrix.py`, an `EXPECTATIONS` dict that maps each
of its URL names to an `Expect`: how to build the URL's arguments from the test world, and the
outcome for each role in `world.ROLES`. The matrix test walks the whole URL conf and fails for
any URL name that no app declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from maakstad.core.testing.world import ROLES, World

OK = "ok"  # 200 (or 204)
LOGIN = "login"  # redirect to the log-in page
DENIED = "denied"  # 403 or 404: the user may not see it
REDIRECT = "redirect"  # another 3xx (e.g. a form that sends the user on)
NOT_ALLOWED = "not_allowed"  # 405: the method is not accepted (POST-only views)
BAD_REQUEST = "bad_request"  # 400
UNAUTHORIZED = "unauthorized"  # 401: wants other credentials than a session (API tokens)


class Outcomes(TypedDict):
    """One outcome per role; annotate shared dicts with it so `expect(**SHARED, ...)` type-checks."""

    anonymous: str
    pupil: str
    teacher_a: str
    teacher_b: str
    company: str
    programme: str


@dataclass
class Expect:
    outcomes: dict[str, str]
    kwargs: Callable[[World], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    query: str = ""
    # Extra objects the URL needs that are not in the world (e.g. a programme), made first.
    setup: Callable[[World], Any] | None = None

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.outcomes)
        if missing:
            raise ValueError(f"Expect is missing outcomes for {sorted(missing)}")


def expect(
    *,
    anonymous: str,
    pupil: str,
    teacher_a: str,
    teacher_b: str,
    company: str,
    programme: str,
    kwargs: Callable[[World], dict[str, Any]] | None = None,
    method: str = "get",
    data: Callable[[World], dict[str, Any]] | None = None,
    query: str = "",
    setup: Callable[[World], Any] | None = None,
) -> Expect:
    return Expect(
        outcomes={
            "anonymous": anonymous,
            "pupil": pupil,
            "teacher_a": teacher_a,
            "teacher_b": teacher_b,
            "company": company,
            "programme": programme,
        },
        kwargs=kwargs,
        method=method,
        data=data,
        query=query,
        setup=setup,
    )


def everyone(outcome: str = OK, **extra: Any) -> Expect:
    return expect(
        anonymous=outcome,
        pupil=outcome,
        teacher_a=outcome,
        teacher_b=outcome,
        company=outcome,
        programme=outcome,
        **extra,
    )


def logged_in(outcome: str = OK, **extra: Any) -> Expect:
    return expect(
        anonymous=LOGIN,
        pupil=outcome,
        teacher_a=outcome,
        teacher_b=outcome,
        company=outcome,
        programme=outcome,
        **extra,
    )


@dataclass
class Matrix:
    expectations: dict[str, Expect] = field(default_factory=dict)
