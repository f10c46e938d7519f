"""local-audio: a short melody synthesised from the prompt as a 16-bit mono WAV, with a waveform PNG as its
thumbnail. Deterministic for a (prompt, seed); stdlib only (math, array, wave), no network, no key."""

from __future__ import annotations

import asyncio
import hashlib
import io
import itertools
import math
import random
import sys
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw
from pydantic import BaseModel, Field

from app.generators.base import Generator, GeneratorContext, GeneratorResult

PENTATONIC = {"major": (0, 2, 4, 7, 9), "minor": (0, 3, 5, 7, 10)}
ATTACK_S = 0.01
RELEASE_S = 0.005  # a short fade at each note's end: no clicks
PEAK = 0.9  # of full scale, when melody and bass peak together: never clips
MELODY_GAIN, BASS_GAIN = 0.5, 0.3
HARMONICS_PEAK = 1.42  # the most the three harmonics can add up to
WAVEFORM_SIZE = (512, 128)
STEPS = 8  # synthesis chunks: progress is reported and cancellation checked between them


class LocalAudioInput(BaseModel):
    prompt: str = Field(
        min_length=1, max_length=2000, description="What to play (it picks the key, scale and melody)."
    )
    seed: int | None = Field(
        default=None, ge=0, le=2**31 - 1, description="Same prompt and seed, same sound."
    )
    duration_seconds: float = Field(default=4.0, ge=0.5, le=30, description="Length of the clip.")
    sample_rate: Literal[8000, 16000, 22050, 44100] = 22050
    tempo_bpm: int = Field(default=112, ge=40, le=240, description="Beats per minute of the melody.")


@dataclass(frozen=True)
class Note:
    start: float  # seconds
    length: float  # seconds
    frequency: float  # Hz
    gain: float


@dataclass(frozen=True)
class Score:
    """Everything the synthesiser needs: the notes and the clip's shape."""

    notes: tuple[Note, ...]
    sample_rate: int
    samples: int
    scale: str
    root_midi: int

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate


def _midi_hz(note: int) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def compose(inputs: LocalAudioInput) -> Score:
    """The prompt's melody (pentatonic, so any sequence sounds fine) over a bass note per bar."""
    digest = hashlib.sha256(f"{inputs.prompt}|{inputs.seed}".encode()).digest()
    rng = random.Random(digest)  # noqa: S311  (music, not security)
    scale = "major" if digest[0] % 2 == 0 else "minor"
    root = 57 + digest[1] % 12  # A3..G#4
    beat = 60.0 / inputs.tempo_bpm
    steps = PENTATONIC[scale]
    notes: list[Note] = []
    t, degree = 0.0, rng.randrange(len(steps))
    while t < inputs.duration_seconds:
        length = beat * rng.choice((0.5, 0.5, 1.0, 1.0, 1.5, 2.0))
        degree = max(0, min(2 * len(steps) - 1, degree + rng.choice((-2, -1, -1, 1, 1, 2))))
        octave, step = divmod(degree, len(steps))
        if rng.random() > 0.1:  # an occasional rest
            notes.append(Note(t, length, _midi_hz(root + 12 * octave + steps[step]), MELODY_GAIN))
        t += length
    bar = 4 * beat
    for i in range(math.ceil(inputs.duration_seconds / bar)):
        bass = root - 12 + steps[rng.choice((0, 0, 3, 4)) % len(steps)]
        notes.append(Note(i * bar, bar, _midi_hz(bass), BASS_GAIN))
    samples = round(inputs.duration_seconds * inputs.sample_rate)
    return Score(tuple(notes), inputs.sample_rate, samples, scale, root)


def render(score: Score, first: int, last: int) -> array[int]:
    """Samples [first, last) as signed 16-bit: a few harmonics under an attack/decay envelope per note."""
    rate = score.sample_rate
    mix = [0.0] * (last - first)
    for note in score.notes:
        onset, stop = round(note.start * rate), round((note.start + note.length) * rate)
        begin, end = max(first, onset), min(last, stop)
        if begin >= end:
            continue
        w = 2 * math.pi * note.frequency / rate
        decay = 3.0 / note.length
        release = rate * RELEASE_S
        for n in range(begin, end):
            age = (n - onset) / rate
            envelope = min(1.0, age / ATTACK_S, (stop - n) / release) * math.exp(-decay * age)
            phase = w * n
            tone = math.sin(phase) + 0.3 * math.sin(2 * phase) + 0.12 * math.sin(3 * phase)
            mix[n - first] += note.gain * envelope * tone
    scale = 32767 * PEAK / ((MELODY_GAIN + BASS_GAIN) * HARMONICS_PEAK)
    return array("h", (max(-32768, min(32767, int(v * scale))) for v in mix))


def to_wav(pcm: array[int], sample_rate: int) -> bytes:
    """A RIFF/WAVE file: mono, 16-bit little-endian PCM."""
    if sys.byteorder == "big":
        pcm = array("h", pcm)
        pcm.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())
    return out.getvalue()


def waveform_png(pcm: Sequence[int], colour_seed: bytes) -> bytes:
    """The clip's envelope (min/max per pixel column) on a dark background: what lists show for audio."""
    width, height = WAVEFORM_SIZE
    image = Image.new("RGB", (width, height), (24, 24, 32))
    draw = ImageDraw.Draw(image)
    colour = (96 + colour_seed[0] % 160, 96 + colour_seed[1] % 160, 96 + colour_seed[2] % 160)
    middle = height / 2
    per_column = max(1, len(pcm) // width)
    for x in range(width):
        chunk = pcm[x * per_column : (x + 1) * per_column]
        if not chunk:
            break
        low, high = min(chunk) / 32768, max(chunk) / 32768
        draw.line([(x, middle - high * middle), (x, middle - low * middle)], fill=colour)
    draw.line([(0, middle), (width, middle)], fill=(70, 70, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class LocalAudio(Generator):
    name = "local-audio"
    artifact_type = "audio"
    description = (
        "A short melody synthesised from the prompt as a WAV, with a waveform image (offline, free)."
    )
    Input = LocalAudioInput

    async def generate(self, inputs: LocalAudioInput, context: GeneratorContext) -> GeneratorResult:
        await context.progress(0.02, phase="initializing", message="composing")
        score = compose(inputs)
        pcm: array[int] = array("h")
        bounds = [score.samples * i // STEPS for i in range(STEPS + 1)]
        for step, (first, last) in enumerate(itertools.pairwise(bounds), start=1):
            if await context.cancelled():
                return GeneratorResult(outputs=[])
            pcm.extend(await asyncio.to_thread(render, score, first, last))
            await context.progress(0.05 + 0.8 * step / STEPS, message=f"synthesising {step}/{STEPS}")
        await context.progress(0.88, phase="finalizing", message="storing")
        wav = to_wav(pcm, score.sample_rate)
        digest = hashlib.sha256(inputs.prompt.encode()).digest()
        png = await asyncio.to_thread(waveform_png, pcm, digest)
        metadata = {
            "format": "wav",
            "duration": score.duration,
            "sample_rate": score.sample_rate,
            "channels": 1,
            "bits_per_sample": 16,
            "tempo_bpm": inputs.tempo_bpm,
            "scale": score.scale,
            "notes": len(score.notes),
            "seed": inputs.seed,
        }
        audio = await context.store(wav, content_type="audio/wav", extension="wav", metadata=metadata)
        width, height = WAVEFORM_SIZE
        waveform = await context.store(
            png,
            content_type="image/png",
            extension="png",
            metadata={"role": "waveform", "format": "png", "width": width, "height": height},
        )
        return GeneratorResult(outputs=[audio, waveform], metadata=metadata, thumbnail=waveform)
