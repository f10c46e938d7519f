"""Token verification settings (`Settings.jwt`, env ATELIER_JWT__<FIELD>) and the provider presets.

Supabase, Clerk and Auth0 are not separate code paths: `resolve_preset` turns each into plain JWKS (or
HS256) settings plus a claim mapping. Settings given explicitly always win over what a preset derives.
An incomplete or contradictory configuration fails when it is constructed, i.e. at start-up.

Claim paths (ClaimMap): a dotted path into the claims, e.g. `user_metadata.full_name`. Namespaced claim names
that contain dots themselves (Auth0's `https://example.com/roles`) work too: at each level the longest
dotted prefix that is a key wins.

Admin rule (`claims.admin`, e.g. ATELIER_JWT__CLAIMS__ADMIN):
  `PATH`        the claim is JSON `true` (a boolean; the string "false" must not make anyone an admin)
  `PATH=VALUE`  the claim is the string VALUE, or a list containing the string VALUE
Examples: `app_metadata.role=admin` (Supabase), `org_role=org:admin` (Clerk),
`https://atelier.example/roles=admin` (Auth0), `is_admin`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from app.auth.tokens._jwks import (
    HMAC_ALGORITHMS,
    HMAC_MIN_SECRET_BYTES,
    SUPPORTED_ALGORITHMS,
    check_fetch_url,
    key_fits,
    load_public_key,
)

Provider = Literal["jwt", "oidc", "supabase", "clerk", "auth0"]
_PRESET_FIELDS: dict[str, Provider] = {
    "supabase_url": "supabase",
    "clerk_issuer": "clerk",
    "auth0_domain": "auth0",
}


def claim_value(claims: dict[str, Any], path: str) -> Any:
    """The value at a dotted claim path, or None. At each level the longest dotted prefix that is a key wins,
    so `https://example.com/app.role` finds {"https://example.com/app": {"role": …}}."""
    current: Any = claims
    rest = path
    while rest:
        if not isinstance(current, dict):
            return None
        parts = rest.split(".")
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            if name in current:
                current, rest = current[name], ".".join(parts[cut:])
                break
        else:
            return None
    return current


@dataclass(frozen=True, slots=True)
class AdminRule:
    """`PATH` (claim is boolean true) or `PATH=VALUE` (claim equals VALUE or is a list containing it)."""

    path: str
    value: str | None = None

    @classmethod
    def parse(cls, rule: str) -> AdminRule:
        path, sep, value = rule.partition("=")
        path = path.strip()
        if not path or any(not part for part in path.split(".")) or (sep and not value):
            raise ValueError(
                f"admin rule {rule!r}: expected PATH or PATH=VALUE, e.g. app_metadata.role=admin"
            )
        return cls(path, value if sep else None)

    def matches(self, claims: dict[str, Any]) -> bool:
        found = claim_value(claims, self.path)
        if self.value is None:
            return found is True
        if isinstance(found, list):
            return self.value in [item for item in found if isinstance(item, str)]
        return isinstance(found, str) and found == self.value


class ClaimMap(BaseModel):
    """Which claim (a dotted path, see the module docstring) holds each identity field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: str = "sub"
    email: str | None = "email"
    name: str | None = "name"
    avatar: str | None = "picture"
    tenant: str | None = Field(default=None, description="claim holding the tenant slug (e.g. org_slug)")
    admin: str | None = Field(default=None, description="PATH (boolean true) or PATH=VALUE, see module doc")

    @field_validator("admin")
    @classmethod
    def _admin_rule_parses(cls, value: str | None) -> str | None:
        if value is not None:
            AdminRule.parse(value)
        return value

    @property
    def admin_rule(self) -> AdminRule | None:
        return None if self.admin is None else AdminRule.parse(self.admin)


class JwtConfig(BaseModel):
    """How bearer tokens from an external identity provider are verified (`Settings.jwt`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: Provider = "jwt"
    algorithms: list[str] = Field(default_factory=lambda: ["RS256"], description="the only algs accepted")
    secret: SecretStr | None = Field(default=None, description="HMAC secret for HS*")
    public_key: str | None = Field(default=None, description="PEM public key or certificate for RS*/PS*/ES*")
    jwks_url: str | None = Field(default=None, description="JWKS URL for RS*/PS*/ES* keys, rotated by kid")
    issuer: str | None = Field(default=None, description="required `iss` (exact match) when set")
    audience: str | list[str] | None = Field(default=None, description="accepted `aud` value(s) when set")
    leeway_seconds: int = Field(default=30, ge=0, le=300)
    jwks_cache_seconds: int = Field(default=600, ge=1)
    http_timeout_seconds: float = Field(default=5, gt=0, le=60)
    allow_http: bool = Field(default=False, description="allow http:// key URLs beyond loopback")
    claims: ClaimMap = Field(default_factory=ClaimMap)

    supabase_url: str | None = Field(default=None, description="https://<project>.supabase.co")
    clerk_issuer: str | None = Field(default=None, description="Clerk frontend API URL")
    auth0_domain: str | None = Field(default=None, description="<tenant>.auth0.com or a custom domain")

    @field_validator("audience")
    @classmethod
    def _audience_not_empty(cls, value: str | list[str] | None) -> str | list[str] | None:
        if value is not None and (
            not value or any(not item for item in ([value] if isinstance(value, str) else value))
        ):
            raise ValueError("audience must be a non-empty string or list of non-empty strings (or unset)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> JwtConfig:
        """Fail at start-up, naming the setting to fix, rather than on the first request.

        With `provider` given, the whole configuration must be usable. Without it (the default instance
        `Settings.jwt` starts as, or settings whose provider comes from ATELIER_AUTH), only what is wrong for
        every provider fails here; `with_provider` / `resolve_preset` check the rest.
        """
        if "provider" in self.model_fields_set:
            _check_complete(self)
        else:
            _check(self, complete=False)
        return self

    def with_provider(self, provider: Provider) -> JwtConfig:
        """This configuration for `provider` (e.g. from ATELIER_AUTH), validated as a whole."""
        data = self.model_dump(exclude_unset=True)
        data["provider"] = provider
        return JwtConfig.model_validate(data)


def resolve_preset(config: JwtConfig) -> JwtConfig:
    """The same configuration with the provider preset spelled out as plain settings; raises ValueError when
    it cannot verify anything (missing key source, audience, …).

    Explicitly set fields win over derived ones. `oidc` keeps jwks_url unset: it is discovered at runtime.
    """
    _check_complete(config)
    return _resolve(config)


def _resolve(config: JwtConfig) -> JwtConfig:
    updates = _preset_updates(config)
    return config.model_copy(update=updates) if updates else config


def _check_complete(config: JwtConfig) -> None:
    for field, owner in _PRESET_FIELDS.items():
        if getattr(config, field) is not None and config.provider != owner:
            raise ValueError(
                f"{field} is only used with provider={owner!r} (provider is {config.provider!r})"
            )
    _check_preset_inputs(config)
    _check(_resolve(config), complete=True)


def _preset_updates(config: JwtConfig) -> dict[str, Any]:
    explicit = config.model_fields_set
    derived: dict[str, Any] = {}
    claims: dict[str, str] = {}
    if config.provider == "supabase" and config.supabase_url:
        base = config.supabase_url.rstrip("/") + "/auth/v1"
        derived = {"issuer": base, "audience": "authenticated"}
        if config.secret is not None:  # legacy projects sign with the project's JWT secret
            derived["algorithms"] = ["HS256"]
        else:
            derived |= {"algorithms": ["RS256", "ES256"], "jwks_url": f"{base}/.well-known/jwks.json"}
        claims = {"email": "email", "name": "user_metadata.full_name", "avatar": "user_metadata.avatar_url"}
    elif config.provider == "clerk" and config.clerk_issuer:
        issuer = config.clerk_issuer.rstrip("/")
        derived = {"issuer": issuer, "jwks_url": f"{issuer}/.well-known/jwks.json", "algorithms": ["RS256"]}
        claims = {"email": "email", "name": "name"}  # only present when a session token template adds them
    elif config.provider == "auth0" and config.auth0_domain:
        domain = _bare_domain(config.auth0_domain)
        derived = {
            "issuer": f"https://{domain}/",
            "jwks_url": f"https://{domain}/.well-known/jwks.json",
            "algorithms": ["RS256"],
        }
    updates = {name: value for name, value in derived.items() if name not in explicit}
    preset_claims = {
        name: path for name, path in claims.items() if name not in config.claims.model_fields_set
    }
    if preset_claims:
        updates["claims"] = config.claims.model_copy(update=preset_claims)
    return updates


def _bare_domain(domain: str) -> str:
    return domain.strip().removeprefix("https://").removeprefix("http://").strip("/")


def _check_preset_inputs(config: JwtConfig) -> None:
    if config.provider == "supabase" and not config.supabase_url:
        raise ValueError("provider=supabase needs supabase_url (ATELIER_JWT__SUPABASE_URL)")
    if config.provider == "clerk" and not config.clerk_issuer:
        raise ValueError(
            "provider=clerk needs clerk_issuer, the frontend API URL (ATELIER_JWT__CLERK_ISSUER)"
        )
    if config.provider == "auth0":
        if not config.auth0_domain or "/" in _bare_domain(config.auth0_domain):
            raise ValueError(
                "provider=auth0 needs auth0_domain, e.g. example.eu.auth0.com (ATELIER_JWT__AUTH0_DOMAIN)"
            )
        if not config.audience:
            raise ValueError("provider=auth0 needs audience, the API identifier (ATELIER_JWT__AUDIENCE)")
    if config.provider == "oidc":
        if not config.issuer:
            raise ValueError("provider=oidc needs issuer (ATELIER_JWT__ISSUER); keys are discovered from it")
        if not config.audience:  # the IdP serves many clients: without aud, any of their tokens would pass
            raise ValueError("provider=oidc needs audience, usually the client id (ATELIER_JWT__AUDIENCE)")


def _check(config: JwtConfig, *, complete: bool) -> None:
    """Algorithms, key material and URLs agree. Incomplete (`complete=False`) skips what a preset may still
    supply: the default algorithm list and any missing piece."""
    explicit_algorithms = complete or "algorithms" in config.model_fields_set
    algorithms = config.algorithms if explicit_algorithms else []
    if explicit_algorithms and not algorithms:
        raise ValueError("algorithms must list at least one algorithm")
    for algorithm in algorithms:
        if algorithm.lower() == "none":
            raise ValueError("algorithm 'none' (unsigned tokens) is never accepted")
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise ValueError(
                f"algorithm {algorithm!r} is not supported; use one of {sorted(SUPPORTED_ALGORITHMS)}"
            )
    for name in ("supabase_url", "clerk_issuer"):
        url = getattr(config, name)
        if url is not None:
            check_fetch_url(url, what=name, allow_http=config.allow_http)
    hmac = [algorithm for algorithm in algorithms if algorithm in HMAC_ALGORITHMS]
    asymmetric = [algorithm for algorithm in algorithms if algorithm not in HMAC_ALGORITHMS]
    _check_secret(config, hmac, complete=complete)
    _check_public_keys(config, asymmetric, complete=complete)


def _check_secret(config: JwtConfig, hmac: list[str], *, complete: bool) -> None:
    if hmac and config.secret is None:
        raise ValueError(f"{hmac[0]} needs secret (ATELIER_JWT__SECRET)")
    if config.secret is None:
        return
    if complete and not hmac:
        raise ValueError("secret is set but algorithms has no HS256/HS384/HS512")
    size = len(config.secret.get_secret_value().encode())
    for algorithm in hmac or ["HS256"]:
        if size < HMAC_MIN_SECRET_BYTES[algorithm]:
            raise ValueError(
                f"secret is {size} bytes; {algorithm} needs at least {HMAC_MIN_SECRET_BYTES[algorithm]}"
            )


def _check_public_keys(config: JwtConfig, asymmetric: list[str], *, complete: bool) -> None:
    if config.public_key is not None and config.jwks_url is not None:
        raise ValueError("set public_key or jwks_url, not both")
    if config.public_key is not None:
        key = load_public_key(config.public_key)
        if complete and not asymmetric:
            raise ValueError("public_key is set but algorithms has no RS*/PS*/ES* algorithm")
        for algorithm in asymmetric:
            if not key_fits(algorithm, key):
                raise ValueError(f"algorithm {algorithm} does not fit the configured public_key")
    elif complete and asymmetric and config.jwks_url is None and config.provider != "oidc":
        raise ValueError(
            f"{asymmetric[0]} needs public_key (ATELIER_JWT__PUBLIC_KEY) or jwks_url (ATELIER_JWT__JWKS_URL)"
        )
    if config.jwks_url is not None:
        if complete and not asymmetric:
            raise ValueError("jwks_url is set but algorithms has no RS*/PS*/ES* algorithm")
        check_fetch_url(config.jwks_url, what="jwks_url", allow_http=config.allow_http)
    if complete and config.provider == "oidc" and config.issuer and config.jwks_url is None:
        if not asymmetric:
            raise ValueError("provider=oidc discovers public keys: algorithms needs an RS*/PS*/ES* algorithm")
        check_fetch_url(config.issuer, what="issuer", allow_http=config.allow_http)
