"""Board membership: adding, removing and re-roling members, and invitations by e-mail."""

from app.domain.members.service import MemberService, MemberStore

__all__ = ["MemberService", "MemberStore"]
