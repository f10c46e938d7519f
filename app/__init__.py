"""Atelier: an open backend for AI-generated content boards (Litestar REST + Strawberry GraphQL + SAQ)."""

__version__ = "0.1.0"
