"""Constraints shared by REST query parameters, stated in the OpenAPI document as the server applies them."""

NOT_BLANK = r"\S"  # search texts are trimmed: one non-space character at least
