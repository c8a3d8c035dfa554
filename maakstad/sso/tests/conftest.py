from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from maakstad.core.testing.factories import OrganisationFactory
from maakstad.organisations.models import Organisation, OrganisationKind
from maakstad.sso.tests.idp import KeyPair, OidcProvider, SamlIdp, make_key_pair

BRIN = "12AB"


@pytest.fixture(scope="session")
def idp_keys() -> KeyPair:
    return make_key_pair("Entree test-IdP")


@pytest.fixture(scope="session")
def other_keys() -> KeyPair:
    return make_key_pair("Iemand anders")


@pytest.fixture
def saml_idp(idp_keys: KeyPair, settings: Any) -> SamlIdp:
    idp = SamlIdp(keys=idp_keys)
    settings.MAAKSTAD_SSO_PROVIDERS = [idp.provider_config()]
    return idp


@pytest.fixture(scope="session")
def _oidc_server() -> Iterator[OidcProvider]:
    provider = OidcProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(_oidc_server: OidcProvider, settings: Any) -> OidcProvider:
    _oidc_server.next_claims = {}
    _oidc_server.misbehave = ""
    _oidc_server.userinfo = {}
    settings.MAAKSTAD_SSO_PROVIDERS = [_oidc_server.provider_config()]
    return _oidc_server


@pytest.fixture
def school(db: None) -> Organisation:
    school: Organisation = OrganisationFactory.create(
        kind=OrganisationKind.VMBO, name="Techniekcollege", brin=BRIN
    )
    return school
