"""The outbox drain job: delivers due mail, marking each sent or backing it off; also run by a cron."""

from __future__ import annotations

from typing import Any

from app.mail import MailTransport
from app.mail.transport import compose
from app.platform.logging import get_logger
from app.wiring import mark_failed, mark_sent, take_due_mail

log = get_logger("atelier.mail")
MAIL_TRANSPORT = "atelier_mail"  # the worker context's key for the MailTransport
MAIL_SENDER = "atelier_mail_from"


SWEEP_MIN_AGE_S = 30.0


async def drain_mail_outbox(ctx: dict[str, Any], *, min_age_s: float = 0.0) -> int:
    """Send every due message (in batches, each batch one transaction); returns how many were sent."""
    transport: MailTransport = ctx[MAIL_TRANSPORT]
    sender: str = ctx.get(MAIL_SENDER, "Atelier <no-reply@localhost>")
    sent = 0
    while True:
        async with ctx["atelier"].sessions() as session:
            batch = await take_due_mail(session, min_age_s=min_age_s)
            for mail in batch:
                message = compose(sender=sender, to=mail.to_address, subject=mail.subject, body=mail.body)
                try:
                    await transport.deliver(message)
                except Exception as error:
                    log.warning("mail delivery failed; will retry", mail_id=str(mail.id), error=str(error))
                    await mark_failed(session, mail, str(error))
                    continue
                await mark_sent(session, mail.id)
                sent += 1
            await session.commit()
        if len(batch) < 50 or sent == 0:
            return sent


async def sweep_mail_outbox(ctx: dict[str, Any]) -> int:
    """Cron: mail whose drain job was lost (Redis away at commit). Fresh mail is the queued job's."""
    return await drain_mail_outbox(ctx, min_age_s=SWEEP_MIN_AGE_S)
