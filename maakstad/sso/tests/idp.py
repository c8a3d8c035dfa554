"""Test identity providers that the tests run themselves (never the internet).

`SamlIdp` reads our real AuthnRequest and answers with a SAML Response whose assertion it signs
with xmlsec, like Entree Federatie does. `OidcProvider` is a small HTTP server on 127.0.0.1 with
discovery, authorize, token (RS256 ID tokens) and JWKS endpoints.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from joserfc import jwt
from joserfc.jwk import RSAKey
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

ENTREE_UID = "urn:mace:dir:attribute-def:uid"
ENTREE_AFFILIATION = "urn:mace:dir:attribute-def:eduPersonAffiliation"
ENTREE_BRIN = "urn:mace:terena.org:attribute-def:nlEduPersonHomeOrganizationId"
ENTREE_MAIL = "urn:mace:dir:attribute-def:mail"


@dataclass(frozen=True)
class KeyPair:
    key_pem: str
    cert_pem: str

    @property
    def cert_body(self) -> str:
        """The certificate as IdP metadata gives it: base64 without the PEM armour."""
        return "".join(line for line in self.cert_pem.splitlines() if "-----" not in line)


def make_key_pair(common_name: str = "Test IdP") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return KeyPair(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
    )


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class AuthnRequest:
    id: str
    issuer: str
    acs_url: str


@dataclass
class SamlIdp:
    entity_id: str = "https://idp.entree.test/saml"
    sso_url: str = "https://idp.entree.test/sso"
    keys: KeyPair = field(default_factory=make_key_pair)

    def provider_config(self, slug: str = "entree", **extra: Any) -> dict[str, Any]:
        return {
            "slug": slug,
            "protocol": "saml",
            "idp_entity_id": self.entity_id,
            "idp_sso_url": self.sso_url,
            "idp_x509_cert": self.keys.cert_body,
            **extra,
        }

    @staticmethod
    def read_request(redirect_url: str) -> AuthnRequest:
        """The AuthnRequest in our redirect (HTTP-Redirect binding: deflated, base64)."""
        query = parse_qs(urlsplit(redirect_url).query)
        xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0])
        root = etree.fromstring(xml)
        issuer = root.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
        assert issuer is not None and issuer.text
        return AuthnRequest(
            id=root.get("ID", ""),
            issuer=issuer.text,
            acs_url=root.get("AssertionConsumerServiceURL", ""),
        )

    def response(
        self,
        request: AuthnRequest | None,
        *,
        attributes: dict[str, list[str]],
        audience: str | None = None,
        destination: str | None = None,
        in_response_to: str | None = None,
        issued: dt.datetime | None = None,
        lifetime: dt.timedelta = dt.timedelta(minutes=5),
        signer: KeyPair | None = None,
        tamper: tuple[str, str] | None = None,
        name_id: str | None = None,
    ) -> str:
        """A base64 SAML Response with a signed assertion, as the IdP would POST it."""
        now = issued or dt.datetime.now(dt.UTC)
        until = now + lifetime
        irt = in_response_to if in_response_to is not None else (request.id if request else "")
        irt_attr = f' InResponseTo="{escape(irt)}"' if irt else ""
        destination = destination or (request.acs_url if request else "")
        audience = audience or (request.issuer if request else "")
        attrs = "".join(
            f'<saml:Attribute Name="{escape(name)}" '
            f'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
            + "".join(
                f'<saml:AttributeValue xsi:type="xs:string">{escape(v)}</saml:AttributeValue>'
                for v in values
            )
            + "</saml:Attribute>"
            for name, values in attributes.items()
        )
        assertion_id = "_" + uuid.uuid4().hex
        assertion = (
            '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'ID="{assertion_id}" Version="2.0" IssueInstant="{_instant(now)}">'
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            "<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">'
            f"{escape(name_id or '_' + secrets.token_hex(16))}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{_instant(until)}" '
            f'Recipient="{escape(destination)}"{irt_attr}/>'
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_instant(now - dt.timedelta(seconds=30))}" '
            f'NotOnOrAfter="{_instant(until)}">'
            f"<saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience>"
            "</saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_instant(now)}" '
            f'SessionIndex="_{secrets.token_hex(8)}">'
            "<saml:AuthnContext><saml:AuthnContextClassRef>"
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attrs}</saml:AttributeStatement>"
            "</saml:Assertion>"
        )
        keys = signer or self.keys
        signed = OneLogin_Saml2_Utils.add_sign(
            assertion,
            keys.key_pem,
            keys.cert_pem,
            sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
            digest_algorithm=OneLogin_Saml2_Constants.SHA256,
        )
        signed_text = signed.decode() if isinstance(signed, bytes) else str(signed)
        if signed_text.startswith("<?xml"):
            signed_text = signed_text.split("?>", 1)[1]
        if tamper:
            assert tamper[0] in signed_text
            signed_text = signed_text.replace(tamper[0], tamper[1])
        response = (
            '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(now)}" '
            f'Destination="{escape(destination)}"{irt_attr}>'
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
            "</samlp:Status>"
            f"{signed_text}</samlp:Response>"
        )
        return base64.b64encode(response.encode()).decode()


# --- OIDC --------------------------------------------------------------------------------------


@dataclass
class OidcProvider:
    """An OpenID provider on 127.0.0.1:<random port>, in a thread. `next_claims` are the extra
    claims of the next ID token; `misbehave` makes the next ID token wrong in one way."""

    client_id: str = "maakstad-test"
    client_secret: str = "geheim-test"
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    next_claims: dict[str, Any] = field(default_factory=dict)
    misbehave: str = ""
    userinfo: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def provider_config(self, slug: str = "surfconext", **extra: Any) -> dict[str, Any]:
        return {
            "slug": slug,
            "protocol": "oidc",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            **extra,
        }

    def start(self) -> OidcProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, data: Any, status: int = 200) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": provider.issuer + "/authorize",
                            "token_endpoint": provider.issuer + "/token",
                            "jwks_uri": provider.issuer + "/jwks",
                            "userinfo_endpoint": provider.issuer + "/userinfo",
                            "response_types_supported": ["code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "code_challenge_methods_supported": ["S256"],
                        }
                    )
                elif url.path == "/jwks":
                    self._json({"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/userinfo":
                    self._json(provider.userinfo)
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                provider.token_requests.append(form)
                expected = base64.b64encode(
                    f"{provider.client_id}:{provider.client_secret}".encode()
                ).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    self._json({"error": "invalid_client"}, 401)
                    return
                request = provider.codes.pop(form.get("code", [""])[0], None)
                if request is None:
                    self._json({"error": "invalid_grant"}, 400)
                    return
                self._json(
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "id_token": provider.id_token(request),
                    }
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def id_token(self, request: dict[str, str]) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "sub-" + secrets.token_hex(8),
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": request.get("nonce", ""),
            **self.next_claims,
        }
        key = self.key
        if self.misbehave == "signature":
            key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        elif self.misbehave == "nonce":
            claims["nonce"] = "een-andere-nonce"
        elif self.misbehave == "audience":
            claims["aud"] = "een-andere-client"
        elif self.misbehave == "expired":
            claims["exp"] = now - 3600
        elif self.misbehave == "issuer":
            claims["iss"] = "https://elders.test"
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
