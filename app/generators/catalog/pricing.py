"""Cost estimates from a catalog entry's price rule (credits = the provider's list price in USD)."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from app.generators.catalog.model import PriceRule

# fal's named sizes (https://fal.ai/models/fal-ai/flux/dev/api: image_size), in pixels
NAMED_SIZES: dict[str, tuple[int, int]] = {
    "square_hd": (1024, 1024), "square": (512, 512), "portrait_4_3": (768, 1024),
    "portrait_16_9": (576, 1024), "landscape_4_3": (1024, 768), "landscape_16_9": (1024, 576),
}  # fmt: skip
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SIZE = re.compile(r"^(\d+)\s*[x*]\s*(\d+)$")
DEFAULT_SIZE = (1024, 1024)
MEGAPIXEL = 1024 * 1024  # fal bills a 1024x1024 image as one megapixel (and rounds partial ones up)


def _number(value: Any, fallback: Decimal) -> Decimal:
    """A duration given as 5, 5.0, "5" or "5s"."""
    if isinstance(value, bool) or value is None:
        return fallback
    if isinstance(value, int | float):
        return Decimal(str(value))
    found = NUMBER.search(str(value))
    return Decimal(found.group()) if found else fallback


def megapixels(value: Any) -> int:
    """Whole megapixels, rounded up (as fal bills them): from `WxH`, a named size or {width, height}."""
    if isinstance(value, dict) and {"width", "height"} <= set(value):
        width, height = int(value["width"]), int(value["height"])
    elif isinstance(value, str) and (match := SIZE.match(value.strip())):
        width, height = int(match.group(1)), int(match.group(2))
    else:
        width, height = NAMED_SIZES.get(str(value), DEFAULT_SIZE)
    return max(1, math.ceil(width * height / MEGAPIXEL))


def quantity(rule: PriceRule, params: dict[str, Any]) -> Decimal:
    """Billed units of one output: seconds, megapixels, thousands of characters, or 1."""
    if rule.per == "second":
        fallback = rule.default_seconds or Decimal(1)
        return _number(params.get(rule.seconds), fallback) if rule.seconds else fallback
    if rule.per == "megapixel":
        return Decimal(megapixels(params.get(rule.megapixels or "")))
    if rule.per == "1k_characters":
        return Decimal(len(str(params.get(rule.characters or "") or ""))) / 1000
    return Decimal(1)


def count(rule: PriceRule, params: dict[str, Any]) -> int:
    """How many outputs a run makes (1 unless an input says)."""
    if rule.per == "run" or not rule.count:
        return 1
    value = params.get(rule.count)
    return int(value) if isinstance(value, int | float | str) and str(value).isdigit() else 1


def value_key(value: Any) -> str:
    """An input's value as the price tables name it (JSON spelling: true/false, 5, "720p")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def unit_amount(rule: PriceRule, params: dict[str, Any]) -> Decimal:
    amount = rule.amount
    if rule.by is not None:
        amount = rule.by.amounts.get(value_key(params.get(rule.by.field)), amount)
    for field, values in rule.surcharges.items():
        amount += values.get(value_key(params.get(field)), Decimal(0))
    return amount


def estimate(rule: PriceRule, params: dict[str, Any], *, override: Decimal | None = None) -> Decimal:
    """The cost of a run with these (validated, defaults filled) inputs; `override` re-prices the unit."""
    amount = override if override is not None else unit_amount(rule, params)
    return amount * count(rule, params) * quantity(rule, params)


def describe(rule: PriceRule) -> str:
    """One line for people: '0.003 per output' / '0.05 per second (duration)'."""
    measured = rule.seconds or rule.megapixels or rule.characters
    text = f"{rule.amount.normalize():f} per {rule.per.replace('_', ' ')}"
    if measured:
        text += f" ({measured})"
    if rule.count and rule.per != "run":
        text += f" x {rule.count}"
    if rule.by is not None:
        text += f"; by {rule.by.field}: " + ", ".join(f"{k} {v}" for k, v in rule.by.amounts.items())
    return f"{text}; {rule.note}" if rule.note else text
