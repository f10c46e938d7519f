"""Generators that need no key and no network, so the product works out of the box."""

from app.generators.builtin.local_audio import LocalAudio
from app.generators.builtin.local_image import LocalImage
from app.generators.builtin.local_text import LocalText
from app.generators.builtin.local_video import LocalVideo
from app.generators.builtin.testing import TestGenerator

BUILTIN = [LocalImage, LocalText, LocalAudio, LocalVideo, TestGenerator]

__all__ = ["BUILTIN", "LocalAudio", "LocalImage", "LocalText", "LocalVideo", "TestGenerator"]
