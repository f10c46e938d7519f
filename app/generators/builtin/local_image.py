"""local-image: a PNG drawn from the prompt — deterministic for a (prompt, seed), no network, no key."""

from __future__ import annotations

import asyncio
import hashlib
import io
import random
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw
from pydantic import BaseModel, Field

from app.generators.base import Generator, GeneratorContext, GeneratorResult
from app.generators.refs import GenerationRef

SIZES = {"square": (512, 512), "landscape": (768, 512), "portrait": (512, 768), "small": (256, 256)}


class LocalImageInput(BaseModel):
    prompt: str = Field(
        min_length=1, max_length=2000, description="What to draw (it picks the palette and shapes)."
    )
    seed: int | None = Field(
        default=None, ge=0, le=2**31 - 1, description="Same prompt and seed, same image."
    )
    size: Literal["square", "landscape", "portrait", "small"] = "square"
    shapes: int = Field(default=24, ge=1, le=200, description="How many shapes to draw.")
    init_image: GenerationRef | None = Field(
        default=None, description="An earlier image generation to paint over (recorded as lineage)."
    )


def draw(inputs: LocalImageInput, base: Path | None = None) -> bytes:
    digest = hashlib.sha256(f"{inputs.prompt}|{inputs.seed}".encode()).digest()
    rng = random.Random(digest)  # noqa: S311  (art, not security)
    width, height = SIZES[inputs.size]
    top, bottom = tuple(digest[0:3]), tuple(digest[3:6])
    image = Image.new("RGB", (width, height))
    pixels = ImageDraw.Draw(image)
    for y in range(height):  # vertical gradient between two prompt colours
        t = y / max(1, height - 1)
        pixels.line(
            [(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    for _ in range(inputs.shapes):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(8, max(9, min(width, height) // 4))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        box = [x - r, y - r, x + r, y + r]
        (pixels.ellipse if rng.random() < 0.5 else pixels.rectangle)(box, outline=colour, width=3)
    if base is not None:
        with Image.open(base) as under:
            image = Image.blend(under.convert("RGB").resize((width, height)), image, 0.5)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


class LocalImage(Generator):
    name = "local-image"
    artifact_type = "image"
    description = "A procedural PNG drawn from the prompt (offline, free, deterministic per seed)."
    Input = LocalImageInput

    async def generate(self, inputs: LocalImageInput, context: GeneratorContext) -> GeneratorResult:
        await context.progress(0.05, phase="initializing", message="reading inputs")
        base = await context.resolve_artifact(inputs.init_image) if inputs.init_image else None
        await context.progress(0.1, phase="processing", message="drawing")
        png = await asyncio.to_thread(draw, inputs, base)
        width, height = SIZES[inputs.size]
        await context.progress(0.8, phase="finalizing", message="storing")
        metadata = {"format": "png", "width": width, "height": height, "seed": inputs.seed}
        artifact = await context.store(png, content_type="image/png", extension="png", metadata=metadata)
        return GeneratorResult(outputs=[artifact], metadata=metadata)
