from maakstad.core.testing.matrix import DENIED, LOGIN, OK, everyone, expect

# No identity provider is configured in the matrix world: every SSO URL is a 404 then
# (maakstad/sso/tests/ test them with providers configured).
_SLUG = {"kwargs": lambda w: {"slug": "entree"}}

EXPECTATIONS = {
    "sso:start": everyone(DENIED, **_SLUG),
    "sso:acs": everyone(DENIED, method="post", **_SLUG),
    "sso:finish": everyone(DENIED, **_SLUG),
    "sso:metadata": everyone(DENIED, **_SLUG),
    "sso:callback": everyone(DENIED, **_SLUG),
}
EXPECTATIONS.update(
    {
        # Without a pending SSO log-in the coupling page sends everyone to the log-in page.
        "sso:couple": everyone(LOGIN),
        # Staff of the pupil's school with a pupil-managing role (teacher_a is a mentor there).
        "sso:coupling_code": expect(
            anonymous=LOGIN,
            pupil=DENIED,
            teacher_a=OK,
            teacher_b=DENIED,
            company=DENIED,
            programme=DENIED,
            method="post",
            kwargs=lambda w: {"pk": w.pupil.pk},
        ),
    }
)
