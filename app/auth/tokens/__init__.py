"""Bearer token verification: external identity providers (generic JWT, OIDC, Supabase, Clerk, Auth0) and the
server-signed tokens of local accounts. Verifiers and their key caches live for the process."""

from app.auth.tokens._config import AdminRule, ClaimMap, JwtConfig, Provider, claim_value, resolve_preset
from app.auth.tokens._jwks import DiscoveryError, JwksCache, JwksKey, KeySetUnavailable, OidcDiscovery
from app.auth.tokens._local import LocalClaims, LocalTokenIssuer
from app.auth.tokens._verify import LOCAL_TOKEN_TYPE, InvalidToken, JwtVerifier, VerifiedIdentity

__all__ = [
    "LOCAL_TOKEN_TYPE",
    "AdminRule",
    "ClaimMap",
    "DiscoveryError",
    "InvalidToken",
    "JwksCache",
    "JwksKey",
    "JwtConfig",
    "JwtVerifier",
    "KeySetUnavailable",
    "LocalClaims",
    "LocalTokenIssuer",
    "OidcDiscovery",
    "Provider",
    "VerifiedIdentity",
    "claim_value",
    "resolve_preset",
]
