"""local-audio: seeded, chunk-independent synthesis, a real WAV, progress in phases, and cancellation."""

from __future__ import annotations

import io
import itertools
import wave
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from app.generators.builtin.local_audio import (
    STEPS,
    LocalAudio,
    LocalAudioInput,
    compose,
    render,
    to_wav,
)
from tests.unit.generators.fakes import RecordingContext

PHASE_ORDER = ["initializing", "processing", "finalizing"]


def _wav(inputs: LocalAudioInput) -> bytes:
    score = compose(inputs)
    return to_wav(render(score, 0, score.samples), score.sample_rate)


def test_same_prompt_and_seed_give_the_same_bytes_and_others_do_not() -> None:
    base = {"prompt": "rain on a tin roof", "duration_seconds": 1.0, "sample_rate": 8000}
    first = _wav(LocalAudioInput(**base, seed=7))
    assert first == _wav(LocalAudioInput(**base, seed=7))
    assert first != _wav(LocalAudioInput(**base, seed=8))
    assert first != _wav(LocalAudioInput(**{**base, "prompt": "snow"}, seed=7))


def test_the_wav_is_mono_16_bit_of_the_asked_length_and_not_silent() -> None:
    data = _wav(LocalAudioInput(prompt="a bell", seed=1, duration_seconds=1.5, sample_rate=16000))
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.getnframes() == 24000
        samples = array("h", wav.readframes(wav.getnframes()))
    assert max(abs(s) for s in samples) > 10_000  # audible, and below full scale (no clipping)
    assert max(abs(s) for s in samples) < 32767


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=6))
def test_rendering_in_chunks_equals_rendering_at_once(cuts: list[int]) -> None:
    score = compose(LocalAudioInput(prompt="chunks", seed=3, duration_seconds=0.5, sample_rate=8000))
    whole = render(score, 0, score.samples)
    bounds = sorted({0, score.samples, *cuts})
    pieces = array("h")
    for first, last in itertools.pairwise(bounds):
        pieces.extend(render(score, first, last))
    assert pieces == whole


async def test_generate_reports_monotonic_progress_in_phase_order_and_a_waveform_thumbnail() -> None:
    context = RecordingContext()
    result = await LocalAudio().generate(
        LocalAudioInput(prompt="a lighthouse", seed=2, duration_seconds=1, sample_rate=8000), context
    )
    fractions = [f for f, _, _ in context.progress_calls]
    assert fractions == sorted(fractions) and all(0 < f < 1 for f in fractions)
    phases = [p for _, p, _ in context.progress_calls]
    assert [PHASE_ORDER.index(p) for p in phases] == sorted(PHASE_ORDER.index(p) for p in phases)
    assert set(phases) == set(PHASE_ORDER)
    assert sum(1 for p in phases if p == "processing") == STEPS
    audio, waveform = result.outputs
    assert (audio.content_type, waveform.content_type) == ("audio/wav", "image/png")
    assert result.thumbnail == waveform
    assert result.metadata["duration"] == 1.0 and result.metadata["sample_rate"] == 8000
    assert context.stored[1][0].startswith(b"\x89PNG\r\n\x1a\n")


async def test_a_cancelled_run_stops_between_steps_and_stores_nothing() -> None:
    context = RecordingContext(cancel_after_checks=2)
    result = await LocalAudio().generate(LocalAudioInput(prompt="stop", duration_seconds=2), context)
    assert result.outputs == []
    assert context.stored == []
    assert context.checks == 3  # stopped at the third step, not at the end
