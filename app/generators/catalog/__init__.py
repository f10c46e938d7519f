"""The model catalog as data: provider models described in YAML (`*.yaml` here), each entry validated by
`CatalogEntry` and turned into a generator by its provider API's generic adapter
(app.generators.providers). Adding a model is an entry in a YAML file; `python -m app generators validate`
checks it and tests/integration/providers/test_catalog.py runs it against the provider's fake."""

from app.generators.catalog.loader import CATALOG_DIR, CatalogError, builtin_entries, load
from app.generators.catalog.model import CatalogEntry, OutputRule, PriceRule

__all__ = [
    "CATALOG_DIR",
    "CatalogEntry",
    "CatalogError",
    "OutputRule",
    "PriceRule",
    "builtin_entries",
    "load",
]
