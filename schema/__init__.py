"""Sources of truth for Atelier's code generation: SQL DDL (sql/) and Pydantic API contracts (api/).

Nothing in app/ imports this package at run time; codegen/ reads it and writes app/**/_generated.
"""
