"""Which provider generators register, and with what options (settings first, the generators YAML on top)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.generators import load_registry
from app.generators.providers import ProviderConfig, ProviderGenerator

CONFIG = ProviderConfig(
    keys={"replicate": "r8_x", "fal": None, "openai": None},
    base_urls={"replicate": "http://replicate.local"},
    public_base_url="https://atelier.example/",
)


def test_only_providers_with_a_key_are_registered() -> None:
    names = load_registry(None, CONFIG).names()
    assert {"replicate-flux-schnell", "replicate-minimax-video"} <= set(names)
    assert not [n for n in names if n.startswith(("fal-", "openai-"))]
    assert not [n for n in load_registry().names() if n.startswith(("replicate-", "fal-", "openai-"))]


def test_settings_give_keys_urls_and_the_webhook_url() -> None:
    generator = load_registry(None, CONFIG).get("replicate-flux-schnell")
    assert isinstance(generator, ProviderGenerator)
    assert generator.settings.api_key == "r8_x"
    assert generator.settings.base_url == "http://replicate.local"
    assert generator.settings.webhook_url == "https://atelier.example/api/v1/webhooks/replicate"
    assert generator.pacing().webhook_s == 60.0
    assert generator.estimate_cost(generator.Input(prompt="x", num_outputs=3)) == Decimal("0.009")


def test_yaml_options_override_settings(tmp_path: Path) -> None:
    config = tmp_path / "generators.yaml"
    config.write_text(
        "generators:\n"
        "  replicate-flux-schnell: {name: flux, options: {model: 'me/flux:abc', price: 0.5, webhooks: false}}\n"
        "  fal-flux-schnell: {options: {api_key: from-yaml}}\n"
        "  replicate-minimax-video: {enabled: false}\n"
    )
    registry = load_registry(config, CONFIG)
    assert "fal-flux-schnell" in registry.names()  # its key came from the YAML
    assert "replicate-minimax-video" not in registry.names()
    flux = registry.get("flux")
    assert isinstance(flux, ProviderGenerator)
    assert (flux.model_id, flux.settings.webhook_url, flux.pacing().webhook_s) == ("me/flux:abc", None, None)
    assert flux.estimate_cost(flux.Input(prompt="x", num_outputs=2)) == Decimal("1.0")
