"""The models the app uses: everything generated from schema/sql, re-exported in one place."""

from app.db._generated.models import *  # noqa: F403  (the generated module is the whole data model)
