"""REST: /api/v1/auth (local accounts) and /api/v1/api-keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.deps import ACCOUNTS, API_KEYS, CREDITS
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
from app.domain.accounts import AccountService, ApiKeyService
from app.domain.credits import CreditService
from app.domain.paging import MAX_OFFSET
from app.wiring import build_auth_config


def _agent(request: Request[Any, Any, Any]) -> str | None:
    return request.headers.get("user-agent")


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["Auth"]
    dependencies = ACCOUNTS

    @get("/config", operation_id="GetAuthConfig", summary="How this server signs people in (no auth needed)")
    async def get_config(self, state: State) -> AuthConfig:
        return build_auth_config(state.runtime)

    @post("/signup", operation_id="SignUp", summary="Create a local account and sign in")
    async def sign_up(
        self,
        accounts: NamedDependency[AccountService],
        data: JSONBody[SignUpInput],
        request: Request[Any, Any, Any],
    ) -> AuthSession:
        return await accounts.sign_up(data, user_agent=_agent(request))

    @post("/login", operation_id="LogIn", summary="Sign in with e-mail and password", status_code=200)
    async def log_in(
        self,
        accounts: NamedDependency[AccountService],
        data: JSONBody[LogInInput],
        request: Request[Any, Any, Any],
    ) -> AuthSession:
        client_ip = request.client.host if request.client else None
        return await accounts.log_in(data, user_agent=_agent(request), client_ip=client_ip)

    @post("/refresh", operation_id="RefreshSession", summary="Rotate a refresh token", status_code=200)
    async def refresh(
        self,
        accounts: NamedDependency[AccountService],
        data: JSONBody[RefreshInput],
        request: Request[Any, Any, Any],
    ) -> AuthSession:
        return await accounts.refresh(data, user_agent=_agent(request))

    @post("/logout", operation_id="LogOut", summary="Revoke a session", status_code=204)
    async def log_out(
        self, accounts: NamedDependency[AccountService], data: JSONBody[LogOutInput]
    ) -> Response[None]:
        await accounts.log_out(data)
        return Response(None, status_code=204)

    @post(
        "/password",
        operation_id="ChangePassword",
        summary="Change password; ends other sessions",
        status_code=204,
    )
    async def change_password(
        self, accounts: NamedDependency[AccountService], data: JSONBody[PasswordChangeInput]
    ) -> Response[None]:
        await accounts.change_password(data)
        return Response(None, status_code=204)


class EmailFlowController(Controller):
    """Verification and password reset: the web app's /verify-email and /reset-password pages post here."""

    path = "/api/v1/auth"
    tags = ["Auth"]
    dependencies = ACCOUNTS

    @post(
        "/verify",
        operation_id="VerifyEmail",
        summary="Verify an e-mail address (token from the link)",
        status_code=200,
    )
    async def verify_email(
        self, accounts: NamedDependency[AccountService], data: JSONBody[VerifyEmailInput]
    ) -> User:
        return await accounts.verify_email(data)

    @post(
        "/verify/resend",
        operation_id="ResendVerification",
        summary="Mail the caller a new verification link",
        status_code=204,
    )
    async def resend_verification(self, accounts: NamedDependency[AccountService]) -> Response[None]:
        await accounts.resend_verification()
        return Response(None, status_code=204)

    @post(
        "/password-reset",
        operation_id="RequestPasswordReset",
        summary="Mail a password-reset link (the same answer whether or not the address has an account)",
        status_code=202,
    )
    async def request_password_reset(
        self, accounts: NamedDependency[AccountService], data: JSONBody[PasswordResetRequest]
    ) -> Response[None]:
        await accounts.request_password_reset(data)
        return Response(None, status_code=202)

    @post(
        "/password-reset/confirm",
        operation_id="ResetPassword",
        summary="Set a new password with a reset token; ends every session",
        status_code=204,
    )
    async def reset_password(
        self, accounts: NamedDependency[AccountService], data: JSONBody[PasswordResetInput]
    ) -> Response[None]:
        await accounts.reset_password(data)
        return Response(None, status_code=204)


class ApiKeyController(Controller):
    path = "/api/v1/api-keys"
    tags = ["Auth"]
    dependencies = API_KEYS

    @post(operation_id="CreateApiKey", summary="Create an API key (the secret is shown once)")
    async def create_api_key(
        self, api_keys: NamedDependency[ApiKeyService], data: JSONBody[ApiKeyCreate]
    ) -> ApiKeyCreated:
        return await api_keys.create(data)

    @get(operation_id="ListApiKeys", summary="The caller's API keys")
    async def list_api_keys(self, api_keys: NamedDependency[ApiKeyService]) -> Sequence[ApiKey]:
        return await api_keys.list_mine()

    @delete("/{key_id:uuid}", operation_id="RevokeApiKey", summary="Revoke an API key", status_code=204)
    async def revoke_api_key(
        self, api_keys: NamedDependency[ApiKeyService], key_id: FromPath[UUID]
    ) -> Response[None]:
        await api_keys.revoke(key_id)
        return Response(None, status_code=204)


class CreditController(Controller):
    path = "/api/v1/credits"
    tags = ["Auth"]
    dependencies = CREDITS

    @get(operation_id="GetCreditBalance", summary="Your credit balance (enabled=false when credits are off)")
    async def get_balance(self, credits: NamedDependency[CreditService]) -> CreditBalance:
        return await credits.balance()

    @get("/history", operation_id="ListCreditHistory", summary="Your ledger, newest first")
    async def list_history(
        self,
        credits: NamedDependency[CreditService],
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=MAX_OFFSET)] = 0,
    ) -> list[CreditEntry]:
        return await credits.history(limit=limit, offset=offset)
