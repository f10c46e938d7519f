"""Board membership: adding, removing and re-roling members, and invitations by e-mail."""

from app.domain.members.ports import MemberStore
from app.domain.members.service import MemberService

__all__ = ["MemberService", "MemberStore"]
