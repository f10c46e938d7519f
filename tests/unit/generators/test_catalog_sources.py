"""Every shipped catalog entry names the page its parameters were read from: an entry whose model could not be
documented is replaced, not shipped as `unverified`, so the catalog stays checkable against its providers."""

from __future__ import annotations

import re

import pytest

from app.generators.catalog import CatalogEntry, builtin_entries

ENTRIES = builtin_entries()
URL = re.compile(r"https://[^\s,;)\"]+")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_entry_names_a_retrieved_source_page(entry: CatalogEntry) -> None:
    source = entry.source
    assert not source.lower().startswith("unverified"), source
    assert URL.search(source), f"no https URL in the source: {source}"


def test_the_catalog_keeps_its_spread_across_types_and_providers() -> None:
    kinds = ("image", "video", "audio", "text")
    by_type = {kind: sum(1 for e in ENTRIES if e.artifact_type == kind) for kind in kinds}
    by_provider = {p: sum(1 for e in ENTRIES if e.provider == p) for p in ("fal", "replicate", "openai")}
    assert len(ENTRIES) >= 60
    assert min(by_type.values()) >= 5, by_type
    assert min(by_provider.values()) >= 10, by_provider
