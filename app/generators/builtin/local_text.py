"""local-text: a short text made from the prompt (offline)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.generators.base import Generator, GeneratorContext, GeneratorResult


class LocalTextInput(BaseModel):
    prompt: str = Field(min_length=1, max_length=4000)
    style: str = Field(default="haiku", pattern=r"^(haiku|shout|reverse)$")


class LocalText(Generator):
    name = "local-text"
    artifact_type = "text"
    description = "Rewrites the prompt as a haiku-ish poem, in capitals, or backwards (offline)."
    Input = LocalTextInput

    async def generate(self, inputs: LocalTextInput, context: GeneratorContext) -> GeneratorResult:
        words = inputs.prompt.split()
        if inputs.style == "shout":
            text = inputs.prompt.upper() + "!"
        elif inputs.style == "reverse":
            text = inputs.prompt[::-1]
        else:
            text = "\n".join(" ".join(words[i : i + 3]) for i in range(0, max(len(words), 1), 3))
        artifact = await context.store(
            text.encode(),
            content_type="text/plain; charset=utf-8",
            extension="txt",
            metadata={"format": "txt"},
        )
        return GeneratorResult(outputs=[artifact], metadata={"format": "txt", "characters": len(text)})
