"""REST: /api/v1/auth (local accounts) and /api/v1/api-keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.contracts import (
    ApiKey,
    ApiKeyCreate,
    ApiKeyCreated,
    AuthConfig,
    AuthSession,
    CreditBalance,
    CreditEntry,
    LogInInput,
    LogOutInput,
    PasswordChangeInput,
    PasswordResetInput,
    PasswordResetRequest,
    RefreshInput,
    SignUpInput,
    User,
    VerifyEmailInput,
)
from app.domain.paging import MAX_OFFSET
from app.wiring import Services, build_auth_config


def _agent(request: Request[Any, Any, Any]) -> str | None:
    return request.headers.get("user-agent")


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["Auth"]

    @get("/config", operation_id="GetAuthConfig", summary="How this server signs people in (no auth needed)")
    async def get_config(self, state: State) -> AuthConfig:
        return build_auth_config(state.runtime)

    @post("/signup", operation_id="SignUp", summary="Create a local account and sign in")
    async def sign_up(
        self,
        services: NamedDependency[Services],
        data: JSONBody[SignUpInput],
        request: Request[Any, Any, Any],
    ) -> AuthSession:
        return await services.accounts.sign_up(data, user_agent=_agent(request))

    @post("/login", operation_id="LogIn", summary="Sign in with e-mail and password", status_code=200)
    async def log_in(
        self,
        services: NamedDependency[Services],
        data: JSONBody[LogInInput],
        request: Request[Any, Any, Any],
    ) -> AuthSession:
        client_ip = request.client.host if request.client else None
        return await services.accounts.log_in(data, user_agent=_agent(request), client_ip=client_ip)

    @post("/refresh", operation_id="RefreshSession", summary="Rotate a refresh token", status_code=200)
    async def refresh(
        self,
        services: NamedDependency[Services],
        data: JSONBody[RefreshInput],
        request: Request[Any, Any, Any],
    ) -> AuthSession:
        return await services.accounts.refresh(data, user_agent=_agent(request))

    @post("/logout", operation_id="LogOut", summary="Revoke a session", status_code=204)
    async def log_out(
        self, services: NamedDependency[Services], data: JSONBody[LogOutInput]
    ) -> Response[None]:
        await services.accounts.log_out(data)
        return Response(None, status_code=204)

    @post(
        "/password",
        operation_id="ChangePassword",
        summary="Change password; ends other sessions",
        status_code=204,
    )
    async def change_password(
        self, services: NamedDependency[Services], data: JSONBody[PasswordChangeInput]
    ) -> Response[None]:
        await services.accounts.change_password(data)
        return Response(None, status_code=204)


class EmailFlowController(Controller):
    """Verification and password reset: the web app's /verify-email and /reset-password pages post here."""

    path = "/api/v1/auth"
    tags = ["Auth"]

    @post(
        "/verify",
        operation_id="VerifyEmail",
        summary="Verify an e-mail address (token from the link)",
        status_code=200,
    )
    async def verify_email(
        self, services: NamedDependency[Services], data: JSONBody[VerifyEmailInput]
    ) -> User:
        return await services.accounts.verify_email(data)

    @post(
        "/verify/resend",
        operation_id="ResendVerification",
        summary="Mail the caller a new verification link",
        status_code=204,
    )
    async def resend_verification(self, services: NamedDependency[Services]) -> Response[None]:
        await services.accounts.resend_verification()
        return Response(None, status_code=204)

    @post(
        "/password-reset",
        operation_id="RequestPasswordReset",
        summary="Mail a password-reset link (the same answer whether or not the address has an account)",
        status_code=202,
    )
    async def request_password_reset(
        self, services: NamedDependency[Services], data: JSONBody[PasswordResetRequest]
    ) -> Response[None]:
        await services.accounts.request_password_reset(data)
        return Response(None, status_code=202)

    @post(
        "/password-reset/confirm",
        operation_id="ResetPassword",
        summary="Set a new password with a reset token; ends every session",
        status_code=204,
    )
    async def reset_password(
        self, services: NamedDependency[Services], data: JSONBody[PasswordResetInput]
    ) -> Response[None]:
        await services.accounts.reset_password(data)
        return Response(None, status_code=204)


class ApiKeyController(Controller):
    path = "/api/v1/api-keys"
    tags = ["Auth"]

    @post(operation_id="CreateApiKey", summary="Create an API key (the secret is shown once)")
    async def create_api_key(
        self, services: NamedDependency[Services], data: JSONBody[ApiKeyCreate]
    ) -> ApiKeyCreated:
        return await services.api_keys.create(data)

    @get(operation_id="ListApiKeys", summary="The caller's API keys")
    async def list_api_keys(self, services: NamedDependency[Services]) -> Sequence[ApiKey]:
        return await services.api_keys.list_mine()

    @delete("/{key_id:uuid}", operation_id="RevokeApiKey", summary="Revoke an API key", status_code=204)
    async def revoke_api_key(
        self, services: NamedDependency[Services], key_id: FromPath[UUID]
    ) -> Response[None]:
        await services.api_keys.revoke(key_id)
        return Response(None, status_code=204)


class CreditController(Controller):
    path = "/api/v1/credits"
    tags = ["Auth"]

    @get(operation_id="GetCreditBalance", summary="Your credit balance (enabled=false when credits are off)")
    async def get_balance(self, services: NamedDependency[Services]) -> CreditBalance:
        return await services.credits.balance()

    @get("/history", operation_id="ListCreditHistory", summary="Your ledger, newest first")
    async def list_history(
        self,
        services: NamedDependency[Services],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
    ) -> list[CreditEntry]:
        return await services.credits.history(limit=limit, offset=offset)
