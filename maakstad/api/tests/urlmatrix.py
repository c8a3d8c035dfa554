"""The token page and the API's URLs as a session-logged-in user meets them.

The API itself ignores the session: the public menukaart and the schema and docs are open to
everyone, the organisation endpoints answer 401 without a `Bearer` token (tested with tokens in
test_auth.py / test_endpoints.py).
"""

from __future__ import annotations

from typing import Any

from maakstad.core.testing.matrix import DENIED, LOGIN, OK, UNAUTHORIZED, everyone, expect
from maakstad.core.testing.world import World


def _school_a(w: World) -> dict[str, Any]:
    return {"pk": w.school_a.pk}


EXPECTATIONS = {
    # Only school A's admin (teacher_a holds org_admin there); teacher_b is admin elsewhere.
    "api:tokens": expect(
        anonymous=LOGIN,
        pupil=DENIED,
        teacher_a=OK,
        teacher_b=DENIED,
        company=DENIED,
        programme=DENIED,
        kwargs=_school_a,
    ),
    # Ninja's mount point only exists to reverse the API's root; it answers 404.
    "api:v1:api-root": everyone(DENIED),
    "api:v1:openapi-json": everyone(OK),
    "api:v1:openapi-view": everyone(OK),
    "api:v1:offer_list": everyone(OK),
    "api:v1:booking_list": everyone(UNAUTHORIZED),
    "api:v1:application_list": everyone(UNAUTHORIZED),
    "api:v1:session_list": everyone(UNAUTHORIZED),
    "api:v1:cofinancing": everyone(UNAUTHORIZED),
    "api:v1:monitoring": everyone(UNAUTHORIZED),
}
