"""local-video: seeded frames, a real browser-playable MP4 (H.264, moov first) showing them, its poster,
progress, cancellation."""

from __future__ import annotations

import io

import av
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageStat

from app.generators.builtin.local_video import (
    MAX_FRAMES,
    LocalVideo,
    LocalVideoInput,
    _bounce,
    draw_frame,
    plan,
    png,
)
from tests.unit.generators.fakes import RecordingContext

SMALL = {"prompt": "fireflies over a pond", "duration_seconds": 1.0, "fps": 8, "size": "small"}


def _frames(inputs: LocalVideoInput) -> list[bytes]:
    scene = plan(inputs)
    return [draw_frame(scene, i).tobytes() for i in range(scene.frames)]


def test_same_prompt_and_seed_give_the_same_frames_and_others_do_not() -> None:
    first = _frames(LocalVideoInput(**SMALL, seed=5))
    assert len(first) == 8
    assert first == _frames(LocalVideoInput(**SMALL, seed=5))
    assert first != _frames(LocalVideoInput(**SMALL, seed=6))
    assert len(set(first)) > 1  # it moves


def test_length_is_duration_times_fps_capped() -> None:
    assert plan(LocalVideoInput(prompt="x", duration_seconds=2.5, fps=12)).frames == 30
    assert plan(LocalVideoInput(prompt="x", duration_seconds=10, fps=30)).frames == MAX_FRAMES


@given(position=st.floats(min_value=-1e5, max_value=1e5, allow_nan=False), limit=st.integers(1, 2000))
def test_bounced_positions_stay_inside_the_frame(position: float, limit: int) -> None:
    assert 0 <= _bounce(position, limit) <= limit


async def test_generate_makes_a_decodable_h264_mp4_with_moov_first_and_a_poster() -> None:
    inputs = LocalVideoInput(**SMALL, seed=9)
    context = RecordingContext()
    result = await LocalVideo().generate(inputs, context)
    (video, clip), (poster, still) = context.stored
    assert (clip.content_type, still.content_type) == ("video/mp4", "image/png")
    assert result.outputs == [clip, still] and result.thumbnail == still
    assert video[4:8] == b"ftyp"
    assert video.index(b"moov") < video.index(b"mdat")  # faststart: playable while it downloads
    with av.open(io.BytesIO(video)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        decoded = list(container.decode(video=0))
        assert container.duration is not None
        assert abs(container.duration / 1_000_000 - 1.0) < 0.01
    assert len(decoded) == 8
    assert {(f.width, f.height, f.format.name) for f in decoded} == {(320, 180, "yuv420p")}
    scene = plan(inputs)
    assert poster == png(draw_frame(scene, scene.poster_index))
    with Image.open(io.BytesIO(poster)) as image:
        assert image.size == (320, 180)
    assert result.metadata == {
        "format": "mp4", "codec": "h264", "width": 320, "height": 180, "duration": 1.0, "fps": 8,
        "frames": 8, "seed": 9,
    }  # fmt: skip
    # The clip shows exactly the frames drawn for this prompt and seed (up to H.264's small losses).
    for index, decoded_frame in enumerate(decoded):
        assert _difference(decoded_frame.to_image(), draw_frame(scene, index)) < 8, index
    other = plan(LocalVideoInput(**SMALL, seed=10))
    assert _difference(decoded[0].to_image(), draw_frame(other, 0)) > 20


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0..255."""
    return max(ImageStat.Stat(ImageChops.difference(a, b)).mean)


async def test_progress_is_monotonic_in_phase_order() -> None:
    context = RecordingContext()
    await LocalVideo().generate(LocalVideoInput(**SMALL), context)
    fractions = [f for f, _, _ in context.progress_calls]
    assert fractions == sorted(fractions) and all(0 < f < 1 for f in fractions)
    order = ["initializing", "processing", "finalizing"]
    ranks = [order.index(p) for _, p, _ in context.progress_calls]
    assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2}


async def test_a_cancelled_run_stops_between_batches_and_stores_nothing() -> None:
    context = RecordingContext(cancel_after_checks=1)
    result = await LocalVideo().generate(LocalVideoInput(prompt="stop", duration_seconds=4), context)
    assert (result.outputs, context.stored, context.checks) == ([], [], 2)
