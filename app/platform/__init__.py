"""Cross-cutting runtime pieces shared by every adapter: logging, request ids, Redis, embedded servers."""
