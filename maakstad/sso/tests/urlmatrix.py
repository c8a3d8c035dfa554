from maakstad.core.testing.matrix import DENIED, everyone

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
