"""What the generic adapters share: a catalog entry turned into a generator class (its name, inputs, price,
output rule), provider bodies with referenced artifacts inlined, and results read by the entry's paths."""

from __future__ import annotations

import base64
import mimetypes
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel

from app.generators.base import GeneratorContext, GeneratorResult, PermanentError
from app.generators.catalog import outputs, pricing
from app.generators.catalog.inputs import input_model
from app.generators.catalog.loader import class_name
from app.generators.catalog.model import CatalogEntry
from app.generators.providers._base import ProviderGenerator
from app.generators.refs import artifact_fields


class CatalogGenerator(ProviderGenerator):
    """Base of the generic adapters; `for_entry` makes the class of one catalog entry."""

    entry: ClassVar[CatalogEntry]

    @classmethod
    def for_entry(cls, entry: CatalogEntry) -> type[CatalogGenerator]:
        name = class_name(entry)
        attributes = {
            "entry": entry, "name": entry.name, "artifact_type": entry.artifact_type,
            "description": entry.description, "model": entry.model, "timeout_seconds": entry.timeout_seconds,
            "supports_webhooks": cls.supports_webhooks and entry.webhooks,
            "Input": input_model(name + "Input", entry.input, title=entry.name), "__module__": cls.__module__,
        }  # fmt: skip
        return type(name, (cls,), attributes)

    @property
    def webhook_url(self) -> str | None:
        return self.settings.webhook_url if self.supports_webhooks else None

    def estimate_cost(self, inputs: BaseModel) -> Decimal:
        params = inputs.model_dump(mode="json")
        return pricing.estimate(self.entry.price, params, override=self.settings.price)

    async def provider_input(self, inputs: BaseModel, context: GeneratorContext) -> dict[str, Any]:
        """The inputs as the provider takes them: referenced generations become data URIs (every provider
        here accepts them, and none can reach this service's storage), then the entry's fixed parameters."""
        body = inputs.model_dump(mode="json", exclude_none=True)
        for field, (is_list, _) in artifact_fields(self.input_schema()).items():
            if field in body:
                ids = body[field] if is_list else [body[field]]
                inlined = [await self._data_uri(context, value) for value in ids]
                body[field] = inlined if is_list else inlined[0]
        return {**body, **self.entry.fixed}

    @staticmethod
    async def _data_uri(context: GeneratorContext, generation_id: str) -> str:
        path = await context.resolve_artifact(UUID(generation_id))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"data:{content_type};base64," + base64.b64encode(path.read_bytes()).decode()

    async def store_result(
        self, context: GeneratorContext, result: Any, metadata: dict[str, Any]
    ) -> GeneratorResult:
        """Store what the entry's output rule finds in the result (files downloaded, or text)."""
        rule = self.entry.output
        metadata = {**metadata, **outputs.metadata(result, rule.metadata)}
        if rule.text is not None:
            found = outputs.text(result, rule.text)
            if found is None:
                raise PermanentError(f"{self.provider}: the result held no text at {rule.text!r}")
            await context.progress(0.88, phase="finalizing", message="storing the text")
            artifact = await self.store_bytes(context, found.encode(), "text/plain", metadata, "out.txt")
            return GeneratorResult(outputs=[artifact], metadata=metadata)
        urls = outputs.urls(result, rule.urls)
        if not urls:
            raise PermanentError(f"{self.provider}: the job finished without an output file")
        artifacts = await self.store_urls(context, urls, metadata)
        return GeneratorResult(outputs=artifacts, metadata=metadata)
