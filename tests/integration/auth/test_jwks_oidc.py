"""JWKS and OIDC discovery over real HTTP: a tiny identity provider on 127.0.0.1 that counts its requests.

Keys are generated here; the caches' clock is injected so the 30 s refetch window is tested without waiting.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from jwt.utils import base64url_encode

from app.auth.tokens import DiscoveryError, InvalidToken, JwtConfig, JwtVerifier, KeySetUnavailable

AUDIENCE = "atelier-client"
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class Idp:
    """JSON documents by path, served from a thread; `hits` counts GETs per path."""

    def __init__(self) -> None:
        self.documents: dict[str, Any] = {}
        self.status: dict[str, int] = {}
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with idp._lock:
                    idp.hits[self.path] += 1
                    document = idp.documents.get(self.path)
                    status = idp.status.get(self.path, 200 if document is not None else 404)
                body = json.dumps(document).encode() if isinstance(document, dict) else str(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Idp:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def publish(self, *keys: tuple[str, PrivateKey], path: str = "/jwks") -> str:
        self.documents[path] = {"keys": [jwk(kid, key) for kid, key in keys]}
        return self.base + path


class Clock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def jwk(kid: str, key: PrivateKey) -> dict[str, Any]:
    if isinstance(key, rsa.RSAPrivateKey):
        data = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"alg": "RS256"}
    else:
        data = ECAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"alg": "ES256"}
    return data | {"kid": kid, "use": "sig"}


def token(
    key: PrivateKey | bytes, kid: str | None, *, issuer: str, algorithm: str = "", **claims: Any
) -> str:
    algorithm = algorithm or ("RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256")
    now = int(time.time())
    payload = {"iss": issuer, "aud": AUDIENCE, "sub": "user-1", "iat": now, "exp": now + 300, **claims}
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid} if kid is not None else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


RSA_1 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ATTACKER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_1 = ec.generate_private_key(ec.SECP256R1())
ISSUER = "https://issuer.example"  # what JWKS-configured tokens carry (the URL is only the key source)

Factory = Callable[..., JwtVerifier]


@pytest.fixture
def idp() -> Iterator[Idp]:
    with Idp() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def verifiers(clock: Clock) -> AsyncIterator[Factory]:
    """Build verifiers on the test clock; all are closed afterwards (their HTTP clients)."""
    made: list[JwtVerifier] = []

    def make(**fields: Any) -> JwtVerifier:
        defaults: dict[str, Any] = {"provider": "jwt", "issuer": ISSUER, "audience": AUDIENCE}
        verifier = JwtVerifier(JwtConfig(**(defaults | fields)), clock=clock)
        made.append(verifier)
        return verifier

    yield make
    for verifier in made:
        await verifier.aclose()


async def reason(verifier: JwtVerifier, bearer: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(bearer)
    return caught.value.reason


# ---- JWKS ---------------------------------------------------------------------------------------------


async def test_rs256_and_es256_tokens_verify_by_kid_from_one_fetch(idp: Idp, verifiers: Factory) -> None:
    url = idp.publish(("rsa-1", RSA_1), ("ec-1", EC_1))
    verifier = verifiers(jwks_url=url, algorithms=["RS256", "ES256"])
    for _ in range(25):
        assert (await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))).subject == "user-1"
        assert (await verifier.verify(token(EC_1, "ec-1", issuer=ISSUER))).subject == "user-1"
    assert idp.hits["/jwks"] == 1

    assert await reason(verifier, token(EC_1, "rsa-1", issuer=ISSUER)) == "algorithm not allowed"
    assert await reason(verifier, token(RSA_2, "rsa-1", issuer=ISSUER)) == "bad signature"
    assert (await verifier.verify(token(RSA_1, None, issuer=ISSUER))).subject == "user-1"  # the one RS256 key
    assert idp.hits["/jwks"] == 1


async def test_a_token_without_kid_needs_an_unambiguous_key(idp: Idp, verifiers: Factory) -> None:
    verifier = verifiers(jwks_url=idp.publish(("rsa-1", RSA_1), ("rsa-2", RSA_2)))
    assert await reason(verifier, token(RSA_1, None, issuer=ISSUER)) == "missing key id"
    assert (await verifier.verify(token(RSA_2, "rsa-2", issuer=ISSUER))).subject == "user-1"


async def test_concurrent_first_requests_fetch_the_key_set_once(idp: Idp, verifiers: Factory) -> None:
    verifier = verifiers(jwks_url=idp.publish(("rsa-1", RSA_1)))
    results = await asyncio.gather(
        *(verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER)) for _ in range(30))
    )
    assert {identity.subject for identity in results} == {"user-1"}
    assert idp.hits["/jwks"] == 1
    assert (await verifier.verify(token(RSA_1, None, issuer=ISSUER))).subject == "user-1"  # the only key


async def test_cache_expiry_refetches(idp: Idp, verifiers: Factory, clock: Clock) -> None:
    verifier = verifiers(jwks_url=idp.publish(("rsa-1", RSA_1)), jwks_cache_seconds=600)
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    clock.now += 599
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    assert idp.hits["/jwks"] == 1
    clock.now += 2
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    assert idp.hits["/jwks"] == 2


async def test_key_rotation_refetches_once_and_the_new_key_passes(
    idp: Idp, verifiers: Factory, clock: Clock
) -> None:
    verifier = verifiers(jwks_url=idp.publish(("rsa-1", RSA_1)))
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    idp.publish(("rsa-2", RSA_2))  # the IdP rotates: rsa-1 is gone
    clock.now += 31  # past the refetch window, well within the cache lifetime
    assert (await verifier.verify(token(RSA_2, "rsa-2", issuer=ISSUER))).subject == "user-1"
    assert idp.hits["/jwks"] == 2
    for _ in range(10):
        await verifier.verify(token(RSA_2, "rsa-2", issuer=ISSUER))
    assert await reason(verifier, token(RSA_1, "rsa-1", issuer=ISSUER)) == "unknown key id"  # retired key
    assert idp.hits["/jwks"] == 2


async def test_a_new_kid_within_the_refetch_window_waits_for_it(
    idp: Idp, verifiers: Factory, clock: Clock
) -> None:
    """The price of the DoS guard: a kid first seen less than 30 s after a fetch is unknown until then.
    (Identity providers publish a new key well before signing with it, so this does not bite in practice.)"""
    verifier = verifiers(jwks_url=idp.publish(("rsa-1", RSA_1)))
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    idp.publish(("rsa-1", RSA_1), ("rsa-2", RSA_2))
    clock.now += 10
    assert await reason(verifier, token(RSA_2, "rsa-2", issuer=ISSUER)) == "unknown key id"
    assert idp.hits["/jwks"] == 1
    clock.now += 20
    assert (await verifier.verify(token(RSA_2, "rsa-2", issuer=ISSUER))).subject == "user-1"
    assert idp.hits["/jwks"] == 2


async def test_an_unknown_kid_flood_refetches_at_most_once_per_window(
    idp: Idp, verifiers: Factory, clock: Clock
) -> None:
    verifier = verifiers(jwks_url=idp.publish(("rsa-1", RSA_1)))
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    assert idp.hits["/jwks"] == 1

    async def flood() -> None:
        forged = [token(ATTACKER, uuid.uuid4().hex, issuer=ISSUER) for _ in range(50)]
        reasons = await asyncio.gather(*(reason(verifier, bearer) for bearer in forged))
        assert set(reasons) == {"unknown key id"}

    await flood()  # within 30 s of the first fetch: no refetch at all
    assert idp.hits["/jwks"] == 1
    for window in range(1, 4):
        clock.now += 30
        await flood()
        await flood()
        assert idp.hits["/jwks"] == 1 + window
    assert (await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))).subject == "user-1"


async def test_key_set_unavailable_is_an_invalid_token_not_a_crash(
    idp: Idp, verifiers: Factory, clock: Clock
) -> None:
    down = verifiers(jwks_url=f"http://127.0.0.1:{free_port()}/jwks", http_timeout_seconds=2)
    assert await reason(down, token(RSA_1, "rsa-1", issuer=ISSUER)) == "key set unavailable"
    with pytest.raises(KeySetUnavailable, match="jwks unavailable"):
        await down.prefetch()

    idp.documents["/broken"] = {"keys": []}
    idp.status["/broken"] = 500
    idp.documents["/not-json"] = "<html>"
    idp.documents["/no-keys"] = {"keys": "nope"}
    for path in ["/broken", "/not-json", "/no-keys", "/missing"]:
        verifier = verifiers(jwks_url=idp.base + path)
        assert await reason(verifier, token(RSA_1, "rsa-1", issuer=ISSUER)) == "key set unavailable"
        clock.now += 1  # failures are rate-limited too: no second attempt within the window
        assert await reason(verifier, token(RSA_1, "rsa-1", issuer=ISSUER)) == "key set unavailable"
        assert idp.hits[path] == 1


async def test_the_last_good_key_set_survives_an_outage(idp: Idp, verifiers: Factory, clock: Clock) -> None:
    url = idp.publish(("rsa-1", RSA_1))
    verifier = verifiers(jwks_url=url)
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    idp.status["/jwks"] = 503
    clock.now += 601  # expired: a refetch is attempted, fails, and the cached keys stay in use
    assert (await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))).subject == "user-1"
    assert idp.hits["/jwks"] == 2
    del idp.status["/jwks"]
    clock.now += 31
    await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))
    assert idp.hits["/jwks"] == 3


async def test_symmetric_keys_from_a_url_are_never_used(idp: Idp, verifiers: Factory) -> None:
    attacker_secret = b"a" * 40
    oct_key = {"kty": "oct", "kid": "sym", "k": base64url_encode(attacker_secret).decode(), "alg": "HS256"}
    idp.documents["/jwks"] = {"keys": [oct_key, jwk("rsa-1", RSA_1)]}
    verifier = verifiers(
        jwks_url=idp.base + "/jwks", algorithms=["RS256", "HS256"], secret="configured-secret-" + "z" * 32
    )
    forged = token(attacker_secret, "sym", issuer=ISSUER, algorithm="HS256")
    assert await reason(verifier, forged) == "bad signature"  # HS* only ever checks the configured secret
    assert (await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))).subject == "user-1"

    idp.documents["/only-oct"] = {"keys": [oct_key]}
    only_oct = verifiers(jwks_url=idp.base + "/only-oct")
    assert await reason(only_oct, token(RSA_1, "sym", issuer=ISSUER)) == "key set unavailable"


async def test_weak_private_and_foreign_keys_in_a_key_set_are_skipped(idp: Idp, verifiers: Factory) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the weak key under test
    private = RSAAlgorithm.to_jwk(RSA_2, as_dict=True) | {"kid": "private"}
    encryption = jwk("enc", RSA_2) | {"use": "enc"}
    idp.documents["/jwks"] = {"keys": [jwk("weak", weak), private, encryption, jwk("rsa-1", RSA_1), "junk"]}
    verifier = verifiers(jwks_url=idp.base + "/jwks")
    assert (await verifier.verify(token(RSA_1, "rsa-1", issuer=ISSUER))).subject == "user-1"
    with pytest.warns(jwt.InsecureKeyLengthWarning):  # PyJWT warns the signer; the verifier refuses the key
        weak_token = token(weak, "weak", issuer=ISSUER)
    assert await reason(verifier, weak_token) == "unknown key id"
    assert await reason(verifier, token(RSA_2, "private", issuer=ISSUER)) == "unknown key id"
    assert await reason(verifier, token(RSA_2, "enc", issuer=ISSUER)) == "unknown key id"


# ---- OIDC discovery -----------------------------------------------------------------------------------


def serve_discovery(idp: Idp, *, path: str = "/realms/atelier", issuer: str | None = None) -> str:
    """Publish a discovery document for the issuer at idp.base + path; returns the configured issuer."""
    configured = idp.base + path
    jwks_url = idp.publish(("rsa-1", RSA_1), path=path.rstrip("/") + "/certs")
    idp.documents[path.rstrip("/") + "/.well-known/openid-configuration"] = {
        "issuer": configured if issuer is None else issuer,
        "jwks_uri": jwks_url,
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    return configured


async def test_oidc_discovery_finds_the_keys_and_is_cached(
    idp: Idp, verifiers: Factory, clock: Clock
) -> None:
    issuer = serve_discovery(idp)
    verifier = verifiers(provider="oidc", issuer=issuer, audience=AUDIENCE)
    for _ in range(20):
        identity = await verifier.verify(token(RSA_1, "rsa-1", issuer=issuer))
        assert (identity.provider, identity.subject) == ("oidc", "user-1")
    discovery = "/realms/atelier/.well-known/openid-configuration"
    assert (idp.hits[discovery], idp.hits["/realms/atelier/certs"]) == (1, 1)

    assert await reason(verifier, token(RSA_1, "rsa-1", issuer=ISSUER)) == "wrong issuer"
    assert (
        await reason(verifier, token(RSA_1, "rsa-1", issuer=issuer, aud="other-client")) == "wrong audience"
    )

    idp.publish(("rsa-2", RSA_2), path="/realms/atelier/certs")  # rotation reuses the discovered jwks_uri
    clock.now += 31
    assert (await verifier.verify(token(RSA_2, "rsa-2", issuer=issuer))).subject == "user-1"
    assert (idp.hits[discovery], idp.hits["/realms/atelier/certs"]) == (1, 2)


async def test_oidc_issuer_with_a_trailing_slash_must_match_exactly(idp: Idp, verifiers: Factory) -> None:
    """Discovery drops the trailing slash to build the URL (§4.1) but compares the issuer verbatim (§4.3)."""
    issuer = serve_discovery(idp, path="/tenant/")
    assert issuer.endswith("/")
    verifier = verifiers(provider="oidc", issuer=issuer)
    assert (await verifier.verify(token(RSA_1, "rsa-1", issuer=issuer))).subject == "user-1"
    assert idp.hits["/tenant/.well-known/openid-configuration"] == 1

    serve_discovery(idp, path="/other/", issuer=idp.base + "/other")  # the document drops the slash
    mismatched = verifiers(provider="oidc", issuer=idp.base + "/other/")
    assert (
        await reason(mismatched, token(RSA_1, "rsa-1", issuer=idp.base + "/other/")) == "key set unavailable"
    )


async def test_a_discovery_document_naming_another_issuer_is_refused(idp: Idp, verifiers: Factory) -> None:
    issuer = serve_discovery(idp, issuer="https://evil.example/realms/atelier")
    verifier = verifiers(provider="oidc", issuer=issuer)
    assert await reason(verifier, token(RSA_1, "rsa-1", issuer=issuer)) == "key set unavailable"
    assert idp.hits["/realms/atelier/certs"] == 0  # the keys it points to are never fetched
    with pytest.raises(DiscoveryError, match=r"names issuer 'https://evil.example/realms/atelier', not the"):
        await verifier.prefetch()


async def test_discovery_must_point_at_https_keys(idp: Idp, verifiers: Factory) -> None:
    issuer = serve_discovery(idp)
    idp.documents["/realms/atelier/.well-known/openid-configuration"]["jwks_uri"] = (
        "http://keys.example/certs"
    )
    verifier = verifiers(provider="oidc", issuer=issuer)
    with pytest.raises(DiscoveryError, match="jwks_uri must use https"):
        await verifier.prefetch()
    del idp.documents["/realms/atelier/.well-known/openid-configuration"]["jwks_uri"]
    verifier = verifiers(provider="oidc", issuer=issuer)
    with pytest.raises(DiscoveryError, match="has no jwks_uri"):
        await verifier.prefetch()


async def test_prefetch_surfaces_a_good_configuration_too(idp: Idp, verifiers: Factory) -> None:
    issuer = serve_discovery(idp)
    verifier = verifiers(provider="oidc", issuer=issuer)
    await verifier.prefetch()
    assert idp.hits["/realms/atelier/certs"] == 1
    await verifier.verify(token(RSA_1, "rsa-1", issuer=issuer))
    assert idp.hits["/realms/atelier/certs"] == 1
