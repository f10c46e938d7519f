"""Password hashing with pwdlib (argon2id), behind the domain's PasswordHasher port.

argon2 costs ~0.1 s of CPU by design, so it runs in a worker thread, not on the event loop.
"""

from __future__ import annotations

import asyncio

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from pwdlib.hashers.argon2 import Argon2Hasher


class Argon2PasswordHasher:
    """argon2id with pwdlib's recommended parameters; verify() reports hashes that need upgrading."""

    def __init__(self) -> None:
        self._hash = PasswordHash((Argon2Hasher(),))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str) -> tuple[bool, str | None]:
        return await asyncio.to_thread(self._verify, password, password_hash)

    def _verify(self, password: str, password_hash: str) -> tuple[bool, str | None]:
        try:
            return self._hash.verify_and_update(password, password_hash)
        except (PwdlibError, ValueError):  # not a hash we know: never a match
            return False, None
