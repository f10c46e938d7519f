"""Mail delivery: the transports the outbox job sends through (SMTP, or files under the data dir)."""

from app.mail.transport import FileTransport, MailTransport, SmtpTransport, build_transport

__all__ = ["FileTransport", "MailTransport", "SmtpTransport", "build_transport"]
