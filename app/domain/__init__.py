"""The pure core: use cases, permission policy and ports. Imports no framework, ORM, queue or Redis.

import-linter enforces this (see pyproject.toml); adapters in app.api, app.graphql and app.jobs call in.
"""
