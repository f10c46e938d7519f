"""Catalogs beyond the shipped one and what the generators config may change: a new model is a YAML entry
(from the config or an installed plugin's entry point), and any entry can be enabled, renamed, re-priced or
hidden; a provider generator without its key stays unregistered. Also the `generators` commands."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from app.generators import load_registry
from app.generators.catalog import CatalogError, builtin_entries
from app.generators.commands import generators
from app.generators.providers import ProviderConfig

FAL_ONLY = ProviderConfig(keys={"fal": "fal-key", "replicate": None, "openai": None})
NEW_ENTRY = {
    "name": "acme-sticker", "provider": "fal", "model": "acme/sticker", "artifact_type": "image",
    "task": "text-to-image", "display_name": "Acme sticker", "description": "Stickers from text.",
    "source": "https://example.com/acme/sticker",
    "input": {"type": "object", "required": ["prompt"],
              "properties": {"prompt": {"type": "string", "minLength": 1},
                             "count": {"type": "integer", "minimum": 1, "maximum": 3, "default": 1}}},
    "output": {"urls": ["images[].url"], "content_type": "image/png"},
    "price": {"per": "output", "amount": 0.01, "count": "count"},
    "example": {"prompt": "a heron sticker"},
}  # fmt: skip


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_new_model_is_a_yaml_entry_in_a_catalog_the_config_names(tmp_path: Path) -> None:
    write(tmp_path, "acme.yaml", {"entries": [NEW_ENTRY]})
    config = write(tmp_path, "generators.yaml", {"catalogs": ["acme.yaml"]})
    registry = load_registry(config, FAL_ONLY)
    sticker = registry.get("acme-sticker")
    assert sticker.estimate_cost(sticker.Input(prompt="x", count=3)) == Decimal("0.03")
    assert [d["name"] for d in registry.describe("image") if d["provider"] == "fal"][:1] == ["acme-sticker"]
    inline = write(tmp_path, "inline.yaml", {"entries": [{**NEW_ENTRY, "name": "acme-inline"}]})
    assert "acme-inline" in load_registry(inline, FAL_ONLY).names()


def test_the_config_enables_renames_reprices_and_hides(tmp_path: Path) -> None:
    config = write(tmp_path, "generators.yaml", {"generators": {
        "fal-flux-dev": {"name": "flux", "price": 0.5},
        "fal-veo3": {"hidden": True},
        "fal-ltx-video": {"enabled": False},
    }})  # fmt: skip
    registry = load_registry(config, FAL_ONLY)
    names = registry.names()
    assert "flux" in names and "fal-flux-dev" not in names and "fal-ltx-video" not in names
    flux = registry.get("flux")
    assert flux.estimate_cost(flux.Input(prompt="x", num_images=2)) == Decimal("1.0")  # 0.5 per MP x 1 MP x 2
    listed = {d["name"]: d for d in registry.describe()}
    assert listed["flux"]["price"]["amount"] == 0.5
    assert "fal-veo3" not in listed and registry.get("fal-veo3").name == "fal-veo3"  # hidden, still runnable


def test_without_its_key_a_catalog_generator_stays_unregistered(tmp_path: Path) -> None:
    names = set(load_registry(None, FAL_ONLY).names())
    fal = {e.name for e in builtin_entries() if e.provider == "fal"}
    others = {e.name for e in builtin_entries() if e.provider != "fal"}
    assert fal <= names and not others & names
    write(
        tmp_path, "acme.yaml", {"entries": [{**NEW_ENTRY, "provider": "replicate", "model": "acme/sticker"}]}
    )
    config = write(tmp_path, "generators.yaml", {"catalogs": ["acme.yaml"]})
    assert "acme-sticker" not in load_registry(config, FAL_ONLY).names()
    keyed = write(tmp_path, "keyed.yaml", {"catalogs": ["acme.yaml"],
                                           "generators": {"acme-sticker": {"options": {"api_key": "r8"}}}})  # fmt: skip
    assert "acme-sticker" in load_registry(keyed, FAL_ONLY).names()


@pytest.mark.parametrize(
    "config",
    [{"generators": {"fal-flux-dev": {"price": -1}}}, {"generators": {"fal-flux-dev": {"rename": "x"}}},
     {"catalog": ["typo.yaml"]}, {"entries": [{**NEW_ENTRY, "name": "fal-flux-dev"}]},
     {"entries": [{**NEW_ENTRY, "price": {"per": "second", "amount": 1}}]}],
)  # fmt: skip
def test_a_bad_config_is_refused_with_its_reason(tmp_path: Path, config: dict[str, object]) -> None:
    with pytest.raises(CatalogError):
        load_registry(write(tmp_path, "generators.yaml", config), FAL_ONLY)


def test_an_installed_plugin_adds_a_catalog_through_the_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real distribution on sys.path (dist-info with entry_points.txt), found by importlib.metadata."""
    write(tmp_path, "acme_catalog.yaml", {"entries": [NEW_ENTRY]})
    (tmp_path / "acme_plugin.py").write_text(
        f"from pathlib import Path\nCATALOG = Path({str(tmp_path / 'acme_catalog.yaml')!r})\n"
    )
    info = tmp_path / "acme_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[atelier.generators]\nacme = acme_plugin:CATALOG\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "acme-sticker" in load_registry(None, FAL_ONLY).names()


def test_validate_and_list_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(generators, ["validate"], env={"ATELIER_GENERATORS_CONFIG": ""})
    assert ok.exit_code == 0 and f"{len(builtin_entries())} catalog entries" in ok.output, ok.output
    bad_entry = {**NEW_ENTRY, "output": {"urls": ["images[.url"], "content_type": "image/png"}}
    write(tmp_path, "bad.yaml", {"entries": [bad_entry]})
    bad = runner.invoke(
        generators, ["validate", "--config", str(write(tmp_path, "g.yaml", {"catalogs": ["bad.yaml"]}))]
    )
    assert bad.exit_code != 0 and "bad output path" in bad.output
    unknown = write(tmp_path, "u.yaml", {"generators": {"no-such-model": {"enabled": False}}})
    assert (
        "unknown generator(s): no-such-model"
        in runner.invoke(generators, ["validate", "--config", str(unknown)]).output
    )
    listed = json.loads(
        runner.invoke(generators, ["list", "--json"], env={"ATELIER_GENERATORS_CONFIG": ""}).output
    )
    veo = next(row for row in listed if row["name"] == "fal-veo3")
    assert (veo["artifact_type"], veo["provider"], veo["inputs"]) == ("video", "fal", ["prompt"])
    assert textwrap.shorten(veo["price"], 20).startswith("0.4 per second")
