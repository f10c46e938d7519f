"""Token verification without the network: local tokens, static-key JWTs, every attack, presets and config."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.auth.tokens import (
    AdminRule,
    ClaimMap,
    InvalidToken,
    JwtConfig,
    JwtVerifier,
    KeySetUnavailable,
    LocalClaims,
    LocalTokenIssuer,
    claim_value,
    resolve_preset,
)
from app.auth.tokens._jwks import parse_jwks
from app.domain.errors import Unauthenticated

ISSUER = "https://idp.example/"
AUDIENCE = "atelier-api"
SECRET = "local-secret-" + "x" * 40
HS_SECRET = "external-hs-secret-" + "y" * 40

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_EC_KEY = ec.generate_private_key(ec.SECP256R1())


def public_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


RSA_PEM = public_pem(RSA_KEY)
EC_PEM = public_pem(EC_KEY)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value: Any) -> str:
    return b64(json.dumps(value).encode())


def hs256_raw(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    """HS256 by hand: PyJWT (rightly) refuses to use a PEM as an HMAC secret, an attacker does not."""
    signing_input = f"{b64json(header)}.{b64json(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def unsigned(claims: dict[str, Any], typ: str = "JWT") -> str:
    return f"{b64json({'alg': 'none', 'typ': typ})}.{b64json(claims)}."


def tamper_payload(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return f"{header}.{b64json({**claims, **changes})}.{signature}"


def tamper_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    return f"{header}.{payload}.{signature[:middle]}{flipped}{signature[middle + 1 :]}"


def signed(claims: dict[str, Any], key: Any, algorithm: str, typ: str = "JWT") -> str:
    """JWS over the JSON claims as given: jwt.encode would refuse some of the malformed ones we test."""
    payload = json.dumps(claims, default=str).encode()
    return jwt.PyJWS().encode(payload, key, algorithm=algorithm, headers={"typ": typ})


def now() -> int:
    return int(time.time())


# ---- one table of targets: the local issuer and the external verifier with each key type ----------------


@dataclass
class Target:
    name: str
    verify: Callable[[str], Awaitable[Any]]
    sign: Callable[[dict[str, Any]], str]  # a correctly signed token carrying exactly these claims
    base_claims: Callable[[], dict[str, Any]]
    typ: str = "JWT"


LOCAL = LocalTokenIssuer(SECRET)


async def verify_local(token: str) -> LocalClaims:
    return LOCAL.verify_access(token)


def local_claims() -> dict[str, Any]:
    t = now()
    return {
        "iss": "atelier",
        "aud": "atelier",
        "sub": str(uuid.uuid4()),
        "tid": str(uuid.uuid4()),
        "adm": False,
        "iat": t,
        "nbf": t,
        "exp": t + 300,
        "jti": uuid.uuid4().hex,
    }


def external_claims() -> dict[str, Any]:
    t = now()
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-1", "iat": t, "nbf": t, "exp": t + 300}


def static_verifier(algorithms: list[str], **key: Any) -> JwtVerifier:
    return JwtVerifier(
        JwtConfig(provider="jwt", algorithms=algorithms, issuer=ISSUER, audience=AUDIENCE, **key)
    )


RS_VERIFIER = static_verifier(["RS256"], public_key=RSA_PEM)
ES_VERIFIER = static_verifier(["ES256"], public_key=EC_PEM)
HS_VERIFIER = static_verifier(["HS256"], secret=HS_SECRET)

TARGETS = [
    Target(
        "local",
        verify_local,
        lambda c: signed(c, SECRET, "HS256", "at+jwt"),
        local_claims,
        typ="at+jwt",
    ),
    Target("rs256", RS_VERIFIER.verify, lambda c: signed(c, RSA_KEY, "RS256"), external_claims),
    Target("es256", ES_VERIFIER.verify, lambda c: signed(c, EC_KEY, "ES256"), external_claims),
    Target("hs256", HS_VERIFIER.verify, lambda c: signed(c, HS_SECRET, "HS256"), external_claims),
]
OTHER_KEY_SIGNERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "local": lambda c: jwt.encode(c, "another-" + SECRET, algorithm="HS256", headers={"typ": "at+jwt"}),
    "rs256": lambda c: jwt.encode(c, OTHER_RSA_KEY, algorithm="RS256"),
    "es256": lambda c: jwt.encode(c, OTHER_EC_KEY, algorithm="ES256"),
    "hs256": lambda c: jwt.encode(c, "another-" + HS_SECRET, algorithm="HS256"),
}
targets = pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])


async def rejected(target: Target, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        await target.verify(token)
    return caught.value.reason


@targets
async def test_a_correctly_signed_token_verifies(target: Target) -> None:
    assert await target.verify(target.sign(target.base_claims())) is not None


@targets
async def test_alg_none_always_fails(target: Target) -> None:
    assert await rejected(target, unsigned(target.base_claims(), target.typ)) == "algorithm not allowed"


@targets
async def test_hs256_signed_with_the_rsa_public_key_fails(target: Target) -> None:
    """The classic key confusion: the attacker knows the public key and uses it as an HMAC secret."""
    header = {"alg": "HS256", "typ": target.typ}
    for pem in (RSA_PEM, EC_PEM):
        token = hs256_raw(header, target.base_claims(), pem.encode())
        expected = "bad signature" if target.name in {"local", "hs256"} else "algorithm not allowed"
        assert await rejected(target, token) == expected


@targets
async def test_a_token_signed_by_another_key_fails(target: Target) -> None:
    assert await rejected(target, OTHER_KEY_SIGNERS[target.name](target.base_claims())) == "bad signature"


@targets
async def test_expired_fails_beyond_the_leeway(target: Target) -> None:
    t = now()
    old = {"iat": t - 1000, "nbf": t - 1000}
    assert await rejected(target, target.sign({**target.base_claims(), **old, "exp": t - 120})) == "expired"
    assert await target.verify(target.sign({**target.base_claims(), **old, "exp": t - 5})) is not None


@targets
async def test_not_before_in_the_future_fails(target: Target) -> None:
    claims = {**target.base_claims(), "nbf": now() + 120}
    assert await rejected(target, target.sign(claims)) == "not yet valid"


@targets
async def test_issued_in_the_future_fails(target: Target) -> None:
    claims = {**target.base_claims(), "iat": now() + 120}
    assert await rejected(target, target.sign(claims)) == "not yet valid"


@targets
async def test_wrong_or_missing_issuer_fails(target: Target) -> None:
    claims = target.base_claims()
    assert await rejected(target, target.sign({**claims, "iss": "https://evil.example/"})) == "wrong issuer"
    del claims["iss"]
    assert await rejected(target, target.sign(claims)) == "wrong issuer"


@targets
async def test_wrong_or_missing_audience_fails(target: Target) -> None:
    claims = target.base_claims()
    assert await rejected(target, target.sign({**claims, "aud": "someone-else"})) == "wrong audience"
    assert await rejected(target, target.sign({**claims, "aud": ["a", "b"]})) == "wrong audience"
    del claims["aud"]
    assert await rejected(target, target.sign(claims)) == "wrong audience"


@targets
async def test_tampered_payload_fails(target: Target) -> None:
    token = target.sign(target.base_claims())
    forged = tamper_payload(token, sub=str(uuid.uuid4()), adm=True, is_admin=True)
    assert await rejected(target, forged) == "bad signature"


@targets
async def test_tampered_signature_fails(target: Target) -> None:
    token = target.sign(target.base_claims())
    assert await rejected(target, tamper_signature(token)) == "bad signature"
    header, payload, _ = token.split(".")
    assert await rejected(target, f"{header}.{payload}.") == "bad signature"


@targets
async def test_sub_and_exp_are_required(target: Target) -> None:
    for claim in ("sub", "exp"):
        claims = target.base_claims()
        del claims[claim]
        assert await rejected(target, target.sign(claims)) == f"missing claim: {claim}"


@targets
async def test_non_string_sub_fails(target: Target) -> None:
    assert await rejected(target, target.sign({**target.base_claims(), "sub": 42})) == "invalid claim: sub"


@targets
@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.b.c", "a.b.c.d.e", "...", "e30.e30.", "x" * 20_000 + ".a.b", "😀.😀.😀"],
)
async def test_malformed_strings_fail_cleanly(target: Target, token: str) -> None:
    assert await rejected(target, token) == "malformed token"


garbage_headers = st.dictionaries(
    st.sampled_from(["alg", "kid", "typ", "crit", "b64", "jku", "x5u"]),
    st.one_of(
        st.sampled_from(["HS256", "RS256", "ES256", "none", "None", "PS256", "EdDSA", "at+jwt", ""]),
        st.integers(),
        st.none(),
        st.lists(st.text(max_size=3), max_size=2),
        st.text(max_size=8),
    ),
)
garbage_payloads = st.one_of(
    st.dictionaries(
        st.sampled_from(["sub", "exp", "nbf", "iat", "iss", "aud", "tid", "adm", "jti"]),
        st.one_of(
            st.integers(), st.floats(), st.text(max_size=8), st.none(), st.booleans(), st.lists(st.integers())
        ),
    ),
    st.integers(),
    st.text(max_size=8),
)
garbage_tokens = st.one_of(
    st.text(),
    st.builds(
        lambda header, payload, signature: f"{b64json(header)}.{b64json(payload)}.{b64(signature)}",
        garbage_headers,
        garbage_payloads,
        st.binary(max_size=80),
    ),
    st.builds(".".join, st.lists(st.text(alphabet="eyJ0abc-_=.", max_size=12), max_size=4)),
)


@settings(max_examples=300, deadline=None)
@given(token=garbage_tokens)
async def test_garbage_never_raises_anything_but_invalid_token(token: str) -> None:
    for target in TARGETS:
        with pytest.raises(InvalidToken):
            await target.verify(token)
    with contextlib.suppress(InvalidToken):  # garbage claiming to be ours (HS256, at+jwt, iss) is refused
        assert LOCAL.try_verify_access(token) is None


claim_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
claim_names = ["sub", "exp", "nbf", "iat", "iss", "aud", "tid", "adm", "jti", "email", "name", "picture"]


@settings(max_examples=200, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(claim_names), claim_values, max_size=5))
async def test_correctly_signed_garbage_claims_never_raise_anything_but_invalid_token(
    changes: dict[str, Any],
) -> None:
    """Signed garbage reaches the claim checks and our own mapping: still only InvalidToken."""
    for target in TARGETS:
        token = target.sign({**target.base_claims(), **changes})
        with contextlib.suppress(InvalidToken):
            await target.verify(token)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
jwk_like = st.fixed_dictionaries(
    {"kty": st.sampled_from(["RSA", "EC", "oct", "OKP", "x"])},
    optional={
        name: json_values
        | st.sampled_from(["AQAB", "P-256", "RS256", "ES256", "HS256", "sig", "enc", "AAAA"])
        for name in ["kid", "alg", "use", "n", "e", "crv", "x", "y", "d", "k"]
    },
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.dictionaries(st.sampled_from(["keys", "other"]), st.lists(jwk_like | json_values, max_size=4))
)
def test_any_key_set_document_parses_to_keys_or_key_set_unavailable(document: dict[str, Any]) -> None:
    """Key sets come from the network: whatever they hold, parsing yields public keys or KeySetUnavailable."""
    try:
        keys = parse_jwks(document)
    except KeySetUnavailable:
        return
    assert keys
    assert all(isinstance(key.key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey) for key in keys)


# ---- the happy paths, in detail ----------------------------------------------------------------------


def test_local_issuer_round_trip() -> None:
    user, tenant = uuid.uuid4(), uuid.uuid4()
    token, expires_at = LOCAL.issue_access(user, tenant, is_admin=True, email="ada@example.com")
    claims = LOCAL.verify_access(token)
    assert (claims.user_id, claims.tenant_id, claims.is_admin, claims.email) == (
        user,
        tenant,
        True,
        "ada@example.com",
    )
    assert claims.expires_at == expires_at
    assert timedelta(seconds=899) <= expires_at - datetime.now(UTC) <= timedelta(seconds=900)
    assert claims.expires_at - claims.issued_at == timedelta(seconds=900)
    assert jwt.get_unverified_header(token)["typ"] == "at+jwt"
    other, _ = LOCAL.issue_access(user, tenant, is_admin=False, email=None)
    assert LOCAL.verify_access(other).email is None
    assert LOCAL.verify_access(other).token_id != claims.token_id


def test_local_issuer_honours_its_clock_and_settings() -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    issuer = LocalTokenIssuer(SECRET, issuer="me", audience="us", access_ttl_seconds=60, clock=lambda: past)
    token, expires_at = issuer.issue_access(uuid.uuid4(), uuid.uuid4(), is_admin=False, email=None)
    assert expires_at == past.replace(microsecond=0) + timedelta(seconds=60)
    with pytest.raises(InvalidToken, match="expired"):
        issuer.verify_access(token)
    fresh, _ = LocalTokenIssuer(SECRET, issuer="me", audience="us").issue_access(
        uuid.uuid4(), uuid.uuid4(), is_admin=False, email=None
    )
    assert issuer.verify_access(fresh).is_admin is False
    with pytest.raises(InvalidToken, match="wrong issuer"):
        LOCAL.verify_access(fresh)


def test_local_issuer_rejects_weak_secrets_and_bad_ttls() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        LocalTokenIssuer("short")
    with pytest.raises(ValueError, match="positive"):
        LocalTokenIssuer(SECRET, access_ttl_seconds=0)


def test_local_tokens_must_be_access_tokens_with_well_formed_claims() -> None:
    claims = local_claims()
    as_plain_jwt = jwt.encode(claims, SECRET, algorithm="HS256")
    assert reason_of(LOCAL.verify_access, as_plain_jwt) == "wrong token type"

    def ours(**changes: Any) -> str:
        return jwt.encode({**claims, **changes}, SECRET, algorithm="HS256", headers={"typ": "at+jwt"})

    assert reason_of(LOCAL.verify_access, ours(sub="not-a-uuid")) == "invalid claim: sub"
    assert reason_of(LOCAL.verify_access, ours(tid="nope")) == "invalid claim: tid"
    assert reason_of(LOCAL.verify_access, ours(adm="yes")) == "invalid claim: adm"
    assert reason_of(LOCAL.verify_access, ours(email=7)) == "invalid claim: email"
    no_jti = {k: v for k, v in claims.items() if k != "jti"}
    assert (
        reason_of(LOCAL.verify_access, jwt.encode(no_jti, SECRET, headers={"typ": "at+jwt"}))
        == "missing claim: jti"
    )
    rs = jwt.encode(claims, RSA_KEY, algorithm="RS256", headers={"typ": "at+jwt"})
    assert reason_of(LOCAL.verify_access, rs) == "algorithm not allowed"


def test_try_verify_access_leaves_foreign_tokens_to_other_verifiers() -> None:
    token, _ = LOCAL.issue_access(uuid.uuid4(), uuid.uuid4(), is_admin=False, email=None)
    assert LOCAL.try_verify_access(token) == LOCAL.verify_access(token)
    assert LOCAL.try_verify_access(jwt.encode(external_claims(), RSA_KEY, algorithm="RS256")) is None
    assert LOCAL.try_verify_access(jwt.encode(external_claims(), HS_SECRET, algorithm="HS256")) is None
    assert LOCAL.try_verify_access("garbage") is None
    expired = jwt.encode({**local_claims(), "exp": now() - 100}, SECRET, headers={"typ": "at+jwt"})
    with pytest.raises(InvalidToken, match="expired"):
        LOCAL.try_verify_access(expired)  # ours, but not valid: no other verifier gets a say
    forged = hs256_raw({"alg": "HS256", "typ": "at+jwt"}, local_claims(), RSA_PEM.encode())
    with pytest.raises(InvalidToken, match="bad signature"):
        LOCAL.try_verify_access(forged)


def reason_of(verify: Callable[[str], Any], token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        verify(token)
    return caught.value.reason


def test_invalid_token_is_an_unauthenticated_error_with_a_client_safe_reason() -> None:
    error = InvalidToken("expired")
    assert isinstance(error, Unauthenticated)
    assert (error.reason, error.message, error.details) == (
        "expired",
        "invalid token: expired",
        {"reason": "expired"},
    )


async def test_rs256_es256_and_hs256_identities() -> None:
    claims = {
        **external_claims(),
        "email": "ada@example.com",
        "name": "Ada",
        "picture": "https://img/ada.png",
    }
    for verifier, token in [
        (RS_VERIFIER, jwt.encode(claims, RSA_KEY, algorithm="RS256")),
        (ES_VERIFIER, jwt.encode(claims, EC_KEY, algorithm="ES256")),
        (HS_VERIFIER, jwt.encode(claims, HS_SECRET, algorithm="HS256")),
    ]:
        identity = await verifier.verify(token)
        assert identity.provider == "jwt"
        assert (identity.subject, identity.email, identity.display_name) == (
            "user-1",
            "ada@example.com",
            "Ada",
        )
        assert (identity.avatar_url, identity.tenant, identity.is_admin) == (
            "https://img/ada.png",
            None,
            False,
        )
        assert identity.claims["sub"] == "user-1"


async def test_a_verifier_allowing_hs_and_rs_still_keeps_each_key_to_its_family() -> None:
    verifier = static_verifier(["RS256", "HS256"], public_key=RSA_PEM, secret=HS_SECRET)
    claims = external_claims()
    assert (await verifier.verify(jwt.encode(claims, RSA_KEY, algorithm="RS256"))).subject == "user-1"
    assert (await verifier.verify(jwt.encode(claims, HS_SECRET, algorithm="HS256"))).subject == "user-1"
    forged = hs256_raw({"alg": "HS256", "typ": "JWT"}, claims, RSA_PEM.encode())
    with pytest.raises(InvalidToken, match="bad signature"):
        await verifier.verify(forged)
    with pytest.raises(InvalidToken, match="algorithm not allowed"):  # an EC-signed token with an RSA key
        await verifier.verify(jwt.encode(claims, EC_KEY, algorithm="ES256"))
    with pytest.raises(
        InvalidToken, match="algorithm not allowed"
    ):  # PS256 would fit the key, but is not listed
        await verifier.verify(jwt.encode(claims, RSA_KEY, algorithm="PS256"))


async def test_without_issuer_and_audience_settings_those_claims_are_not_checked() -> None:
    verifier = JwtVerifier(JwtConfig(provider="jwt", algorithms=["ES256"], public_key=EC_PEM))
    claims = {"sub": "u", "exp": now() + 60, "iss": "anyone", "aud": "anything"}
    assert (await verifier.verify(jwt.encode(claims, EC_KEY, algorithm="ES256"))).subject == "u"


async def test_claim_mapping_tenant_and_admin() -> None:
    config = JwtConfig(
        provider="jwt",
        algorithms=["RS256"],
        public_key=RSA_PEM,
        claims=ClaimMap(
            subject="user_id",
            email="user_metadata.email",
            name="user_metadata.full_name",
            avatar="user_metadata.avatar_url",
            tenant="https://atelier.example/tenant",
            admin="https://atelier.example/roles=admin",
        ),
    )
    verifier = JwtVerifier(config)
    claims = {
        "sub": "auth|1",
        "user_id": "u-1",
        "exp": now() + 60,
        "user_metadata": {"email": "a@b.c", "full_name": "Ada L", "avatar_url": 7},
        "https://atelier.example/tenant": "acme",
        "https://atelier.example/roles": ["editor", "admin"],
    }
    identity = await verifier.verify(jwt.encode(claims, RSA_KEY, algorithm="RS256"))
    assert (identity.subject, identity.email, identity.display_name) == ("u-1", "a@b.c", "Ada L")
    assert (identity.avatar_url, identity.tenant, identity.is_admin) == (None, "acme", True)

    claims["https://atelier.example/roles"] = ["editor"]
    assert not (await verifier.verify(jwt.encode(claims, RSA_KEY, algorithm="RS256"))).is_admin
    claims["https://atelier.example/tenant"] = ["acme"]
    with pytest.raises(InvalidToken, match=re.escape("invalid claim: https://atelier.example/tenant")):
        await verifier.verify(jwt.encode(claims, RSA_KEY, algorithm="RS256"))
    del claims["user_id"]
    del claims["https://atelier.example/tenant"]
    with pytest.raises(InvalidToken, match="missing claim: user_id"):
        await verifier.verify(jwt.encode(claims, RSA_KEY, algorithm="RS256"))


def test_claim_paths_and_admin_rules() -> None:
    claims = {
        "a": {"b": {"c": 1}},
        "https://x.example/app": {"role": "admin"},
        "https://x.example/roles": ["admin", 3],
        "flag": True,
        "text_flag": "true",
        "role": "admin",
    }
    assert claim_value(claims, "a.b.c") == 1
    assert claim_value(claims, "a.x") is None
    assert claim_value(claims, "a.b.c.d") is None
    assert claim_value(claims, "https://x.example/app.role") == "admin"
    assert AdminRule.parse("flag").matches(claims)
    assert not AdminRule.parse("text_flag").matches(claims)  # only a JSON true counts
    assert not AdminRule.parse("missing").matches(claims)
    assert AdminRule.parse("role=admin").matches(claims)
    assert not AdminRule.parse("role=adm").matches(claims)
    assert AdminRule.parse("https://x.example/roles=admin").matches(claims)
    assert not AdminRule.parse("https://x.example/roles=3").matches(claims)
    assert AdminRule.parse("https://x.example/app.role=admin").matches(claims)
    assert AdminRule.parse("app_metadata.role=org:admin=x") == AdminRule("app_metadata.role", "org:admin=x")
    for bad in ["", "=admin", "role=", "a..b", ".a"]:
        with pytest.raises(ValueError, match="admin rule"):
            AdminRule.parse(bad)
    with pytest.raises(ValidationError, match="admin rule"):
        ClaimMap(admin="role=")


# ---- presets ------------------------------------------------------------------------------------------


def test_supabase_preset_uses_jwks_and_user_metadata() -> None:
    config = resolve_preset(JwtConfig(provider="supabase", supabase_url="https://abc.supabase.co/"))
    assert config.provider == "supabase"
    assert config.issuer == "https://abc.supabase.co/auth/v1"
    assert config.jwks_url == "https://abc.supabase.co/auth/v1/.well-known/jwks.json"
    assert config.audience == "authenticated"
    assert config.algorithms == ["RS256", "ES256"]
    assert (config.claims.email, config.claims.name, config.claims.avatar) == (
        "email",
        "user_metadata.full_name",
        "user_metadata.avatar_url",
    )


async def test_legacy_supabase_projects_use_the_jwt_secret() -> None:
    config = JwtConfig(provider="supabase", supabase_url="https://abc.supabase.co", secret=HS_SECRET)
    resolved = resolve_preset(config)
    assert (resolved.algorithms, resolved.jwks_url) == (["HS256"], None)
    claims = {
        **external_claims(),
        "iss": "https://abc.supabase.co/auth/v1",
        "aud": "authenticated",
        "email": "ada@example.com",
        "user_metadata": {"full_name": "Ada", "avatar_url": "https://img/a.png"},
    }
    identity = await JwtVerifier(config).verify(jwt.encode(claims, HS_SECRET, algorithm="HS256"))
    assert (identity.provider, identity.display_name, identity.avatar_url) == (
        "supabase",
        "Ada",
        "https://img/a.png",
    )


def test_clerk_preset() -> None:
    config = resolve_preset(JwtConfig(provider="clerk", clerk_issuer="https://clerk.example.com/"))
    assert config.issuer == "https://clerk.example.com"
    assert config.jwks_url == "https://clerk.example.com/.well-known/jwks.json"
    assert (config.algorithms, config.audience) == (["RS256"], None)
    assert (config.claims.email, config.claims.name) == ("email", "name")


def test_auth0_preset_normalises_the_domain_and_needs_an_audience() -> None:
    for domain in ["example.eu.auth0.com", "https://example.eu.auth0.com/"]:
        config = resolve_preset(
            JwtConfig(provider="auth0", auth0_domain=domain, audience="https://api.atelier")
        )
        assert config.issuer == "https://example.eu.auth0.com/"
        assert config.jwks_url == "https://example.eu.auth0.com/.well-known/jwks.json"
        assert config.algorithms == ["RS256"]
    with pytest.raises(ValidationError, match="provider=auth0 needs audience"):
        JwtConfig(provider="auth0", auth0_domain="example.eu.auth0.com")
    with pytest.raises(ValidationError, match="provider=auth0 needs auth0_domain"):
        JwtConfig(provider="auth0", audience="x")


def test_explicit_settings_win_over_the_preset() -> None:
    config = resolve_preset(
        JwtConfig(
            provider="supabase",
            supabase_url="https://abc.supabase.co",
            audience="my-audience",
            algorithms=["ES256"],
            claims=ClaimMap(name="nick"),
        )
    )
    assert (config.audience, config.algorithms, config.claims.name) == ("my-audience", ["ES256"], "nick")
    assert config.claims.avatar == "user_metadata.avatar_url"
    assert resolve_preset(config) == config  # idempotent


def test_oidc_needs_issuer_and_audience_and_keeps_discovery_for_runtime() -> None:
    config = resolve_preset(JwtConfig(provider="oidc", issuer="https://login.example/realms/a", audience="c"))
    assert config.jwks_url is None
    with pytest.raises(ValidationError, match="provider=oidc needs issuer"):
        JwtConfig(provider="oidc", audience="c")
    with pytest.raises(ValidationError, match="provider=oidc needs audience"):
        JwtConfig(provider="oidc", issuer="https://login.example")
    with pytest.raises(ValidationError, match="issuer must use https"):
        JwtConfig(provider="oidc", issuer="http://login.example", audience="c")
    assert JwtConfig(provider="oidc", issuer="http://login.internal", audience="c", allow_http=True)


def test_provider_from_settings_auth() -> None:
    """Settings may leave provider unset (ATELIER_AUTH names it): construction then only refuses what is wrong
    for every provider, and `with_provider` / `resolve_preset` check the whole."""
    assert JwtConfig() == JwtConfig()  # the default instance constructs
    partial = JwtConfig(auth0_domain="example.auth0.com", audience="https://api")
    assert resolve_preset(partial.with_provider("auth0")).issuer == "https://example.auth0.com/"
    assert (
        resolve_preset(partial.model_copy(update={"provider": "auth0"})).issuer
        == "https://example.auth0.com/"
    )
    with pytest.raises(ValidationError, match="auth0_domain is only used with provider='auth0'"):
        partial.with_provider("clerk")
    with pytest.raises(ValueError, match="RS256 needs public_key"):
        resolve_preset(JwtConfig())
    with pytest.raises(ValueError, match="RS256 needs public_key"):
        JwtVerifier(JwtConfig())
    supabase = JwtConfig(supabase_url="https://abc.supabase.co", secret=HS_SECRET).with_provider("supabase")
    assert resolve_preset(supabase).algorithms == ["HS256"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"algorithms": ["HS256"]}, "HS256 needs secret"),
        ({"algorithms": ["HS256"], "secret": "short"}, "secret is 5 bytes; HS256 needs at least 32"),
        ({"algorithms": ["HS512"], "secret": "x" * 40}, "HS512 needs at least 64"),
        ({"secret": "short"}, "HS256 needs at least 32"),
        ({"algorithms": ["none"]}, "'none' .* is never accepted"),
        ({"algorithms": ["RS256", "NONE"]}, "is never accepted"),
        ({"algorithms": ["EdDSA"]}, "not supported"),
        ({"algorithms": []}, "at least one algorithm"),
        ({"algorithms": ["ES256"], "public_key": RSA_PEM}, "ES256 does not fit"),
        ({"algorithms": ["RS256"], "public_key": EC_PEM}, "RS256 does not fit"),
        ({"public_key": "not a pem"}, "not a PEM public key"),
        ({"public_key": RSA_PEM, "jwks_url": "https://idp/jwks"}, "not both"),
        ({"jwks_url": "http://idp.example/jwks"}, "jwks_url must use https"),
        ({"jwks_url": "ftp://idp.example/jwks"}, "absolute http"),
        ({"audience": []}, "audience must be"),
        ({"audience": ""}, "audience must be"),
        ({"claims": {"admin": "=x"}}, "admin rule"),
        ({"leeway_seconds": -1}, "greater than or equal"),
        ({"provider": "jwt"}, "RS256 needs public_key"),
        ({"provider": "jwt", "secret": HS_SECRET, "public_key": RSA_PEM}, "secret is set but algorithms has no HS"),
        ({"provider": "jwt", "algorithms": ["HS256"], "secret": HS_SECRET, "public_key": RSA_PEM}, "no RS"),
        ({"provider": "jwt", "secret": HS_SECRET, "jwks_url": "https://idp/jwks"}, "no HS256"),
        ({"provider": "jwt", "algorithms": ["HS256"], "secret": HS_SECRET, "jwks_url": "https://i/j"}, "no RS"),
        ({"provider": "supabase"}, "needs supabase_url"),
        ({"provider": "clerk"}, "needs clerk_issuer"),
        ({"provider": "clerk", "supabase_url": "https://a.supabase.co", "clerk_issuer": "https://c"}, "only used"),
        ({"provider": "auth0", "auth0_domain": "a.example/path", "audience": "x"}, "needs auth0_domain"),
        ({"provider": "oidc", "issuer": "https://i", "audience": "a", "algorithms": ["HS256"], "secret": HS_SECRET},
         "needs an RS"),
    ],
)  # fmt: skip
def test_incomplete_or_contradictory_configs_fail_at_construction(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        JwtConfig(**fields)


def test_loopback_urls_may_use_http_and_certificates_work_as_public_keys() -> None:
    assert JwtConfig(provider="jwt", jwks_url="http://127.0.0.1:9/jwks")
    assert JwtConfig(provider="jwt", jwks_url="http://localhost:9/jwks")
    assert JwtConfig(provider="jwt", jwks_url="http://[::1]:9/jwks")
    assert JwtConfig(provider="jwt", jwks_url="http://keycloak:8080/jwks", allow_http=True)
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the weak key under test
    with pytest.raises(ValidationError, match="1024-bit RSA key"):
        JwtConfig(public_key=public_pem(weak))
    assert JwtConfig(provider="jwt", public_key=self_signed_certificate(RSA_KEY))


def self_signed_certificate(key: rsa.RSAPrivateKey) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example")])
    start = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


async def test_a_certificate_configured_verifier_verifies() -> None:
    verifier = JwtVerifier(JwtConfig(provider="jwt", public_key=self_signed_certificate(RSA_KEY)))
    token = jwt.encode({"sub": "u", "exp": now() + 60}, RSA_KEY, algorithm="RS256")
    assert (await verifier.verify(token)).subject == "u"
