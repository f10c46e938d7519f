"""Credits: a ledger per user — reserve on create, capture on success, refund on failure or cancel."""

from app.domain.credits.ports import CreditStore
from app.domain.credits.service import CreditService, InsufficientCredits

__all__ = ["CreditService", "CreditStore", "InsufficientCredits"]
