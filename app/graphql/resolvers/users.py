"""Users, the tenant, local accounts and API keys."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.domain.errors import NotFound
from app.graphql._generated.types import (
    ApiKeyCreatedFields,
    ApiKeyFields,
    AuthConfigFields,
    CreateApiKeyInput,
    CreditBalanceFields,
    CreditEntryFields,
    LogInInput,
    LogOutInput,
    PasswordChangeInput,
    RefreshInput,
    RequestPasswordResetInput,
    ResetPasswordInput,
    SignUpInput,
    TenantFields,
    UpdateTenantInput,
    VerifyEmailInput,
)
from app.graphql.context import Info
from app.graphql.types import AuthSession, User


def _agent(info: Info) -> str | None:
    return info.context.request.headers.get("user-agent") if info.context.request else None


@strawberry.type
class UserQueries:
    @strawberry.field(description="The signed-in user, or null for anonymous callers.")
    async def me(self, info: Info) -> User | None:
        user = await info.context.services.users.me()
        return None if user is None else User.from_contract(user)

    @strawberry.field(description="How this server signs people in; readable without signing in.")
    async def auth_config(self, info: Info) -> AuthConfigFields:
        return AuthConfigFields.from_contract(info.context.services.auth_config)

    @strawberry.field(description="A user of the caller's tenant, or null.")
    async def user(self, info: Info, id: UUID) -> User | None:
        try:
            return User.from_contract(await info.context.services.users.get(id))
        except NotFound:
            return None

    @strawberry.field(
        description="Users whose display name contains the text, or whose e-mail address is the text; "
        "addresses are shown only to their owner and tenant admins."
    )
    async def search_users(self, info: Info, query: str, limit: int = 20, offset: int = 0) -> list[User]:
        page = await info.context.services.users.search(query, limit=limit, offset=offset, counted=False)
        return [User.from_contract(user) for user in page.items]

    @strawberry.field(description="The caller's tenant.")
    async def tenant(self, info: Info) -> TenantFields:
        return TenantFields.from_contract(await info.context.services.users.tenant())

    @strawberry.field(description="Your credit balance (enabled is false when credits are switched off).")
    async def credit_balance(self, info: Info) -> CreditBalanceFields:
        return CreditBalanceFields.from_contract(await info.context.services.credits.balance())

    @strawberry.field(description="Your credit ledger, newest first.")
    async def credit_history(self, info: Info, limit: int = 50, offset: int = 0) -> list[CreditEntryFields]:
        entries = await info.context.services.credits.history(limit=limit, offset=offset)
        return [CreditEntryFields.from_contract(e) for e in entries]

    @strawberry.field(description="The caller's API keys.")
    async def api_keys(self, info: Info) -> list[ApiKeyFields]:
        return [ApiKeyFields.from_contract(key) for key in await info.context.services.api_keys.list_mine()]


@strawberry.type
class UserMutations:
    @strawberry.mutation(description="Create a local account and sign in.")
    async def sign_up(self, info: Info, input: SignUpInput) -> AuthSession:
        session = await info.context.services.accounts.sign_up(input.to_contract(), user_agent=_agent(info))
        return AuthSession.from_contract(session)

    @strawberry.mutation(description="Sign in with e-mail and password.")
    async def log_in(self, info: Info, input: LogInInput) -> AuthSession:
        request = info.context.request
        client_ip = request.client.host if request is not None and request.client else None
        session = await info.context.services.accounts.log_in(
            input.to_contract(), user_agent=_agent(info), client_ip=client_ip
        )
        return AuthSession.from_contract(session)

    @strawberry.mutation(description="Rotate a refresh token into a new session.")
    async def refresh_session(self, info: Info, input: RefreshInput) -> AuthSession:
        session = await info.context.services.accounts.refresh(input.to_contract(), user_agent=_agent(info))
        return AuthSession.from_contract(session)

    @strawberry.mutation(description="Revoke a session.")
    async def log_out(self, info: Info, input: LogOutInput) -> bool:
        return await info.context.services.accounts.log_out(input.to_contract())

    @strawberry.mutation(description="Change the password; ends every other session.")
    async def change_password(self, info: Info, input: PasswordChangeInput) -> bool:
        return await info.context.services.accounts.change_password(input.to_contract())

    @strawberry.mutation(description="Verify an e-mail address with the token from its link.")
    async def verify_email(self, info: Info, input: VerifyEmailInput) -> User:
        return User.from_contract(await info.context.services.accounts.verify_email(input.to_contract()))

    @strawberry.mutation(description="Mail the caller a new verification link; false when already verified.")
    async def resend_verification(self, info: Info) -> bool:
        return await info.context.services.accounts.resend_verification()

    @strawberry.mutation(
        description="Mail a password-reset link (always true: never tells if the address exists)."
    )
    async def request_password_reset(self, info: Info, input: RequestPasswordResetInput) -> bool:
        return await info.context.services.accounts.request_password_reset(input.to_contract())

    @strawberry.mutation(
        description="Set a new password with the token from a reset link; ends every session."
    )
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> bool:
        return await info.context.services.accounts.reset_password(input.to_contract())

    @strawberry.mutation(description="Change the tenant (tenant admins).")
    async def update_tenant(self, info: Info, input: UpdateTenantInput) -> TenantFields:
        return TenantFields.from_contract(
            await info.context.services.users.update_tenant(input.to_contract())
        )

    @strawberry.mutation(description="Create an API key; the secret is returned once.")
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> ApiKeyCreatedFields:
        return ApiKeyCreatedFields.from_contract(
            await info.context.services.api_keys.create(input.to_contract())
        )

    @strawberry.mutation(description="Revoke one of the caller's API keys.")
    async def revoke_api_key(self, info: Info, id: UUID) -> bool:
        return await info.context.services.api_keys.revoke(id)
