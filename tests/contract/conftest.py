"""Contract tests use the `api` fixture (tests/conftest.py): each runs through REST and through GraphQL."""
