"""The catalog's pure rules: price rules against hand-computed list prices, input schemas turned into
validation, output paths read back what a provider answers, and the validator naming every bad entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.generators.catalog import CatalogEntry, CatalogError, builtin_entries
from app.generators.catalog.inputs import CatalogInputError, input_model
from app.generators.catalog.loader import parse
from app.generators.catalog.model import PriceRule
from app.generators.catalog.outputs import text, urls
from app.generators.catalog.pricing import estimate, megapixels
from app.generators.providers import adapter_for
from app.generators.refs import artifact_fields
from tests.fakes.shapes import result_for

ENTRIES = {e.name: e for e in builtin_entries()}


def cost(name: str, **params: Any) -> Decimal:
    entry = ENTRIES[name]
    validated = adapter_for(entry).Input.model_validate(params).model_dump(mode="json")
    return estimate(entry.price, validated)


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("openai-dall-e-3", {"prompt": "x", "quality": "hd", "size": "1792x1024"}, "0.12"),
        ("openai-gpt-image-1", {"prompt": "x", "quality": "low", "n": 3}, "0.033"),
        ("openai-sora-2", {"prompt": "x", "seconds": "12"}, "1.20"),
        ("fal-veo3", {"prompt": "x", "generate_audio": False}, "1.60"),  # 8 s x 0.20
        ("fal-veo3", {"prompt": "x", "duration": "4s"}, "1.60"),  # 4 s x 0.40 with sound
        ("fal-hailuo-02-standard-image-to-video", {"prompt": "x", "image_url": str(uuid4()),
                                                    "resolution": "512P", "duration": "10"}, "0.170"),
        ("fal-flux-dev", {"prompt": "x", "image_size": "square_hd", "num_images": 2}, "0.050"),
        ("fal-flux-schnell", {"prompt": "x", "image_size": "landscape_16_9"}, "0.003"),
        ("fal-kokoro-american-english", {"prompt": "y" * 2500}, "0.05"),
        ("fal-ideogram-v3", {"prompt": "x", "rendering_speed": "QUALITY", "num_images": 2}, "0.18"),
        ("fal-kling-v1-standard-image-to-video", {"prompt": "x", "image_url": str(uuid4()), "duration": "10"},
         "0.450"),
        ("replicate-kling-v2.1", {"prompt": "x", "start_image": str(uuid4()), "mode": "pro"}, "0.45"),
        ("replicate-flux-schnell", {"prompt": "x", "num_outputs": 4}, "0.012"),
        ("fal-kling-v2.1-standard-image-to-video", {"prompt": "x", "image_url": str(uuid4()), "duration": "10"},
         "0.560"),  # 0.28 for 5 s + 0.056 a further second
        ("fal-luma-ray2-image-to-video", {"prompt": "x", "image_url": str(uuid4()), "duration": "9s",
                                          "resolution": "720p"}, "1.8"),  # 720p costs 2x
        ("fal-wan-t2v", {"prompt": "x"}, "0.4"),  # 720p is the default
        ("fal-wan-t2v", {"prompt": "x", "resolution": "480p"}, "0.2"),
        ("fal-stable-diffusion-v35-large", {"prompt": "x", "image_size": "square_hd"}, "0.065"),
        ("openai-sora-2-pro", {"prompt": "x", "seconds": "12", "size": "1792x1024"}, "6.00"),
        ("openai-gpt-image-1-mini", {"prompt": "x", "quality": "low", "n": 2}, "0.010"),
    ],
)  # fmt: skip
def test_estimates_match_the_providers_list_prices(name: str, params: dict[str, Any], expected: str) -> None:
    assert cost(name, **params) == Decimal(expected)


@given(
    amount=st.decimals(min_value=0, max_value=10, places=3),
    count=st.integers(1, 8),
    seconds=st.integers(1, 60),
    spelled=st.sampled_from(["{}", "{}s", "{}.0"]),
)
def test_per_second_cost_is_amount_times_outputs_times_seconds(
    amount: Decimal, count: int, seconds: int, spelled: str
) -> None:
    rule = PriceRule(per="second", amount=amount, count="n", seconds="duration")
    params = {"n": count, "duration": spelled.format(seconds)}
    assert estimate(rule, params) == amount * count * seconds
    assert estimate(rule, params, override=Decimal("0.5")) == Decimal("0.5") * count * seconds


@given(width=st.integers(64, 4096), height=st.integers(64, 4096))
def test_megapixels_round_up_to_whole_ones(width: int, height: int) -> None:
    found = megapixels(f"{width}x{height}")
    assert found >= width * height / 1024**2 > found - 1
    assert megapixels({"width": width, "height": height}) == found


def test_a_rule_must_name_what_it_measures() -> None:
    with pytest.raises(ValidationError, match="names the input that measures it"):
        PriceRule(per="megapixel", amount=Decimal(1))


def test_inputs_are_enforced_and_references_typed() -> None:
    model = input_model("M", {"type": "object", "required": ["prompt", "image"], "properties": {
        "prompt": {"type": "string", "minLength": 1},
        "steps": {"type": "integer", "minimum": 1, "maximum": 8, "default": 4},
        "image": {"x-atelier-artifact": "image", "x-atelier-role": "source"},
        "refs": {"type": "array", "maxItems": 2, "items": {"x-atelier-artifact": "image"}},
    }})  # fmt: skip
    ok = model.model_validate({"prompt": "x", "image": str(uuid4())}).model_dump(mode="json")
    assert ok["steps"] == 4
    for bad in ({"prompt": "", "image": str(uuid4())}, {"prompt": "x", "image": "not-a-uuid"},
                {"prompt": "x", "image": str(uuid4()), "steps": 9}, {"prompt": "x", "image": str(uuid4()), "typo": 1},
                {"prompt": "x", "image": str(uuid4()), "refs": [str(uuid4())] * 3}):  # fmt: skip
        with pytest.raises(ValidationError):
            model.model_validate(bad)
    assert artifact_fields(model.model_json_schema()) == {"image": (False, "source"), "refs": (True, "refs")}


@pytest.mark.parametrize(
    "node",
    [{"type": "string", "oneOf": []}, {"type": "tuple"}, {"enum": []}, {"x-atelier-artifact": "lora"},
     {"type": "array"}],
)  # fmt: skip
def test_what_cannot_be_enforced_is_refused(node: dict[str, Any]) -> None:
    with pytest.raises(CatalogInputError):
        input_model("M", {"type": "object", "properties": {"field": node}})


def _entry(**changes: Any) -> dict[str, Any]:
    base = ENTRIES["fal-flux-schnell"].model_dump(mode="json")
    return {**base, **changes}


def test_the_validator_names_every_bad_entry() -> None:
    bad_output = {"urls": ["images[.url"], "content_type": "image/png"}
    bad_price = {"per": "output", "amount": 1, "count": "num_outputs"}
    schema = _entry()["input"]
    bad_default = {
        **schema,
        "properties": {**schema["properties"], "num_images": {"type": "integer", "default": "x"}},
    }
    with pytest.raises(CatalogError) as raised:
        parse([("a", _entry(name="one", output=bad_output)), ("b", _entry(name="two", price=bad_price)),
               ("c", _entry(name="one")), ("d", _entry(name="three", input=bad_default)),
               ("e", _entry(name="four", provider="kie")), ("f", _entry(name="five", example={}))])  # fmt: skip
    problems = "\n".join(raised.value.problems)
    for expected in ("a one: output: bad output path", "b two: price: reads 'num_outputs'",
                     "c one: the name is already used by a", "d three: input/example",
                     "e four: provider", "f five: input/example"):  # fmt: skip
        assert expected in problems, problems


@given(
    path=st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=0, max_size=3).flatmap(
        lambda names: st.tuples(
            st.just(names), st.lists(st.booleans(), min_size=len(names), max_size=len(names))
        )
    ),
    count=st.integers(1, 4),
)
def test_what_the_fake_answers_from_a_path_is_read_back_by_it(path: Any, count: int) -> None:
    names, walks = path
    dotted = ".".join(["$", *[n + ("[]" if w else "") for n, w in zip(names, walks, strict=True)]])
    entry = CatalogEntry.model_validate(_entry(output={"urls": [dotted], "content_type": "image/png"},
                                               price={"per": "output", "amount": 1, "count": "num_images"}))  # fmt: skip
    served = iter(range(100))
    result = result_for(entry, {"num_images": count}, lambda ext: f"https://cdn/{next(served)}.{ext}")
    assert urls(result, [dotted]) == [f"https://cdn/{i}.png" for i in range(count)]


def test_language_model_tokens_are_joined() -> None:
    assert text(["Hello", ", ", "world"], "$") == "Hello, world"
    assert text({"choices": [{"message": {"content": "hi"}}]}, "choices[].message.content") == "hi"
    assert text({"output": 3}, "output") is None
