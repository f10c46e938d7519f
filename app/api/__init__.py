"""REST adapter (Litestar): thin controllers over the domain services, RFC 9457 problem bodies for errors."""
