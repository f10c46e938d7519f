"""Persistence adapter: SQLAlchemy models generated from schema/sql, and stores that implement domain ports."""
