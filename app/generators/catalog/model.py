"""One catalog entry, validated: a provider model described as data (what it is, its inputs, how its outputs
are read, what it costs), so adding a model is a YAML change, not a class."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Provider = Literal["fal", "replicate", "openai"]
Api = Literal["queue", "predictions", "images", "videos", "chat", "speech"]
ArtifactType = Literal["image", "video", "audio", "text"]
PricePer = Literal["run", "output", "second", "megapixel", "1k_characters"]

APIS: dict[str, tuple[str, ...]] = {
    "fal": ("queue",),
    "replicate": ("predictions",),
    "openai": ("images", "videos", "chat", "speech"),
}
NAME_PATTERN = r"^[a-z0-9][a-z0-9.-]{1,80}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _json_key(key: Any) -> str:
    """YAML reads `true:` and `5:` as a bool and an int; price tables are keyed by the JSON spelling."""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


class ByValue(Strict):
    """The per-unit amount chosen by an input's value (e.g. gpt-image-1's quality); others pay `amount`."""

    field: str
    amounts: dict[str, Decimal]

    @field_validator("amounts", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        return {_json_key(k): v for k, v in value.items()} if isinstance(value, dict) else value


class PriceRule(Strict):
    """cost = (amount, or by[value]) + surcharges, per unit; units = count x quantity where quantity is
    seconds, whole megapixels (rounded up), thousands of characters, or 1 (per run / per output)."""

    per: PricePer
    amount: Decimal = Field(ge=0)
    count: str | None = Field(default=None, description="Input giving how many outputs a run makes")
    seconds: str | None = Field(default=None, description="Input giving the duration (per second)")
    default_seconds: Decimal | None = Field(default=None, gt=0, description="Duration when no input sets it")
    megapixels: str | None = Field(default=None, description="Input giving the size: WxH or a named size")
    characters: str | None = Field(default=None, description="Text input counted (per 1k characters)")
    by: ByValue | None = None
    surcharges: dict[str, dict[str, Decimal]] = Field(default_factory=dict)
    note: str | None = Field(default=None, description="The provider's own wording, when it is subtler")

    @field_validator("surcharges", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {
            f: {_json_key(k): v for k, v in t.items()} if isinstance(t, dict) else t for f, t in value.items()
        }

    @model_validator(mode="after")
    def _quantity_named(self) -> PriceRule:
        needs = {"second": self.seconds or self.default_seconds, "megapixel": self.megapixels,
                 "1k_characters": self.characters}  # fmt: skip
        if self.per in needs and not needs[self.per]:
            raise ValueError(f"a price per {self.per} names the input that measures it")
        return self


class OutputRule(Strict):
    """Where a finished job's outputs are: paths such as `images[].url`, `video.url` or `$` (the output itself;
    lists and `{url}` objects are unwrapped), or `text` for generated text."""

    urls: list[str] = Field(default_factory=list)
    text: str | None = None
    content_type: str = Field(pattern=r"^(image|video|audio|text)/[a-z0-9.+-]+$")
    metadata: dict[str, str] = Field(default_factory=dict, description="metadata key -> path in the output")

    @model_validator(mode="after")
    def _reads_something(self) -> OutputRule:
        if bool(self.urls) == bool(self.text):
            raise ValueError("an output rule reads either `urls` or `text`")
        return self


class CatalogEntry(Strict):
    name: str = Field(pattern=NAME_PATTERN)
    provider: Provider
    api: Api | None = None
    model: str = Field(min_length=1, description="The provider's model or endpoint id")
    artifact_type: ArtifactType
    task: str = Field(pattern=r"^[a-z0-9-]+$", description="text-to-image, image-to-video, tts, llm, ...")
    display_name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    input: dict[str, Any] = Field(description="JSON Schema (type object) of the inputs")
    output: OutputRule
    price: PriceRule
    fixed: dict[str, Any] = Field(default_factory=dict, description="Parameters always sent, not user-set")
    example: dict[str, Any] = Field(
        description="Valid inputs: checked by `generators validate`, run by tests"
    )
    source: str = Field(min_length=8, description="The provider page the parameters come from")
    timeout_seconds: float = Field(default=600, gt=0, le=840)  # under the queue job timeout (900 s)
    webhooks: bool = True

    @property
    def api_name(self) -> str:
        return self.api or APIS[self.provider][0]

    @model_validator(mode="after")
    def _consistent(self) -> CatalogEntry:
        if self.api_name not in APIS[self.provider]:
            raise ValueError(
                f"{self.provider} has no {self.api_name!r} API here (one of {APIS[self.provider]})"
            )
        if self.input.get("type") != "object" or not isinstance(self.input.get("properties"), dict):
            raise ValueError("input must be a JSON Schema of type object with properties")
        return self
