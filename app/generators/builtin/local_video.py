"""local-video: a few seconds of bouncing shapes over a drifting gradient, drawn from the prompt and encoded as
MP4 (H.264, yuv420p, moov atom first: plays in every browser) with PyAV, whose wheels ship FFmpeg and
libx264. The middle frame is stored as a PNG poster and used as the thumbnail. The frames are a pure
function of (prompt, seed); the encoded bytes are not always identical run to run (x264 in PyAV 18's
wheel differed in about one run in three, one thread or not), so tests compare pictures. No network."""

from __future__ import annotations

import asyncio
import colorsys
import hashlib
import io
import itertools
import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageDraw
from pydantic import BaseModel, Field

from app.generators.base import Generator, GeneratorContext, GeneratorResult

SIZES = {
    "small": (320, 180),
    "landscape": (640, 360),
    "square": (480, 480),
    "portrait": (360, 640),
}  # even sides: yuv420p halves them
MAX_FRAMES = 300  # 10 s at 30 fps
STEPS = 8  # encoding batches: progress is reported and cancellation checked between them
X264 = {"preset": "veryfast", "crf": "23", "profile": "main"}  # main profile: every browser decodes it


class LocalVideoInput(BaseModel):
    prompt: str = Field(
        min_length=1, max_length=2000, description="What to animate (it picks the colours and motion)."
    )
    seed: int | None = Field(
        default=None, ge=0, le=2**31 - 1, description="Same prompt and seed, same video."
    )
    duration_seconds: float = Field(default=3.0, ge=0.5, le=10, description="Length of the clip.")
    fps: int = Field(default=24, ge=4, le=30, description="Frames per second.")
    size: Literal["small", "landscape", "square", "portrait"] = "small"
    shapes: int = Field(default=12, ge=1, le=60, description="How many shapes move about.")


@dataclass(frozen=True)
class Sprite:
    x: float
    y: float
    dx: float  # pixels per frame
    dy: float
    radius: int
    colour: tuple[int, int, int]
    round: bool


@dataclass(frozen=True)
class Scene:
    """Everything a frame is drawn from; frame(i) depends on nothing else."""

    width: int
    height: int
    fps: int
    frames: int
    hue: float
    sprites: tuple[Sprite, ...]

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    @property
    def poster_index(self) -> int:
        return self.frames // 2


def plan(inputs: LocalVideoInput) -> Scene:
    digest = hashlib.sha256(f"{inputs.prompt}|{inputs.seed}".encode()).digest()
    rng = random.Random(digest)  # noqa: S311  (art, not security)
    width, height = SIZES[inputs.size]
    frames = max(1, min(MAX_FRAMES, round(inputs.duration_seconds * inputs.fps)))
    speed = min(width, height) / inputs.fps / 2  # at most half the short side per second
    sprites = tuple(
        Sprite(
            x=rng.uniform(0, width),
            y=rng.uniform(0, height),
            dx=rng.uniform(-speed, speed),
            dy=rng.uniform(-speed, speed),
            radius=rng.randrange(6, max(7, min(width, height) // 6)),
            colour=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
            round=rng.random() < 0.6,
        )
        for _ in range(inputs.shapes)
    )
    return Scene(width, height, inputs.fps, frames, digest[0] / 255, sprites)


def _bounce(position: float, limit: int) -> float:
    """Where a point moving freely ends up when it reflects off 0 and limit."""
    span = 2 * limit
    p = position % span
    return p if p <= limit else span - p


def draw_frame(scene: Scene, index: int) -> Image.Image:
    """Frame `index`: a gradient whose hue drifts over the clip, and the sprites where their paths lead."""
    width, height = scene.width, scene.height
    hue = (scene.hue + 0.25 * index / max(1, scene.frames)) % 1.0
    top = tuple(int(255 * c) for c in colorsys.hsv_to_rgb(hue, 0.55, 0.95))
    bottom = tuple(int(255 * c) for c in colorsys.hsv_to_rgb((hue + 0.5) % 1.0, 0.7, 0.35))
    image = Image.new("RGB", (width, height))
    pen = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(1, height - 1)
        pen.line(
            [(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    for s in scene.sprites:
        cx, cy = _bounce(s.x + s.dx * index, width), _bounce(s.y + s.dy * index, height)
        box = [cx - s.radius, cy - s.radius, cx + s.radius, cy + s.radius]
        (pen.ellipse if s.round else pen.rectangle)(box, fill=s.colour, outline=(255, 255, 255), width=2)
    return image


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class Mp4Writer:
    """An H.264 MP4 written batch by batch. Every call runs on the generation's one encoder thread."""

    def __init__(self, scene: Scene, path: Path) -> None:
        import av  # late: only workers that render video load FFmpeg

        self.scene = scene
        self.container: Any = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        stream = self.container.add_stream("libx264", rate=scene.fps, options=X264)
        stream.width, stream.height, stream.pix_fmt = scene.width, scene.height, "yuv420p"
        stream.thread_count = 1  # fair to a shared machine; the worker runs several jobs at once
        self.stream = stream
        self._frame: Any = av.VideoFrame  # (from_image is untyped in PyAV's stubs)
        self._time_base = Fraction(1, scene.fps)
        self._open = True

    def write(self, first: int, last: int) -> None:
        for index in range(first, last):
            frame = self._frame.from_image(draw_frame(self.scene, index))
            frame.pts, frame.time_base = index, self._time_base
            for packet in self.stream.encode(frame):
                self.container.mux(packet)

    def finish(self) -> None:
        """Flush the encoder and write the index (first in the file, for progressive playback)."""
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.close()

    def close(self) -> None:
        if self._open:
            self._open = False
            self.container.close()


class LocalVideo(Generator):
    name = "local-video"
    artifact_type = "video"
    description = (
        "A few seconds of animated shapes drawn from the prompt, as an H.264 MP4 with a poster frame."
    )
    Input = LocalVideoInput

    async def generate(self, inputs: LocalVideoInput, context: GeneratorContext) -> GeneratorResult:
        await context.progress(0.02, phase="initializing", message="planning frames")
        scene = plan(inputs)
        loop = asyncio.get_running_loop()
        with (
            tempfile.TemporaryDirectory(prefix="atelier-video-") as scratch,
            ThreadPoolExecutor(1, thread_name_prefix="atelier-video") as encoder,  # FFmpeg state on 1 thread
        ):
            path = Path(scratch) / "clip.mp4"
            writer = await loop.run_in_executor(encoder, Mp4Writer, scene, path)
            try:
                if not await self._encode(scene, writer, context, encoder):
                    return GeneratorResult(outputs=[])
                await context.progress(0.85, phase="finalizing", message="muxing")
                await loop.run_in_executor(encoder, writer.finish)
            finally:
                await loop.run_in_executor(encoder, writer.close)
            video = await asyncio.to_thread(path.read_bytes)
        poster = await asyncio.to_thread(lambda: png(draw_frame(scene, scene.poster_index)))
        await context.progress(0.9, phase="finalizing", message="storing")
        metadata = {
            "format": "mp4",
            "codec": "h264",
            "width": scene.width,
            "height": scene.height,
            "duration": scene.duration,
            "fps": scene.fps,
            "frames": scene.frames,
            "seed": inputs.seed,
        }
        clip = await context.store(video, content_type="video/mp4", extension="mp4", metadata=metadata)
        still = await context.store(
            poster,
            content_type="image/png",
            extension="png",
            metadata={
                "role": "poster",
                "format": "png",
                "width": scene.width,
                "height": scene.height,
                "frame": scene.poster_index,
            },
        )
        return GeneratorResult(outputs=[clip, still], metadata=metadata, thumbnail=still)

    @staticmethod
    async def _encode(
        scene: Scene, writer: Mp4Writer, context: GeneratorContext, encoder: ThreadPoolExecutor
    ) -> bool:
        """Draw and encode in STEPS batches; False when the generation was cancelled on the way."""
        bounds = [scene.frames * i // STEPS for i in range(STEPS + 1)]
        for step, (first, last) in enumerate(itertools.pairwise(bounds), start=1):
            if await context.cancelled():
                return False
            await asyncio.get_running_loop().run_in_executor(encoder, writer.write, first, last)
            await context.progress(0.05 + 0.75 * step / STEPS, message=f"frames {last}/{scene.frames}")
        return True
