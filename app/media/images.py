"""Images: decode within limits (decompression bombs, corrupt files) and make the 256 px JPEG thumbnails
that lists and feeds load instead of the full image."""

from __future__ import annotations

import asyncio
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from app.domain.uploads import ImageFacts, TooLarge, UnsupportedContent, UploadLimits
from app.platform.logging import get_logger

THUMBNAIL_PX = 256
log = get_logger("atelier.media")
DECODERS = ["PNG", "JPEG", "GIF", "WEBP"]  # only the formats uploads accept: no exotic decoder ever runs


def thumbnail_jpeg(data: bytes) -> bytes:
    """A JPEG at most THUMBNAIL_PX on its longer side."""
    with Image.open(BytesIO(data)) as image:
        return _thumbnail_of(image)


def _thumbnail_of(image: Image.Image) -> bytes:
    image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))  # in place
    out = BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=82)
    return out.getvalue()


def inspect_image(data: bytes, *, max_pixels: int, max_side: int) -> ImageFacts:
    """Check the size from the header BEFORE decoding, then verify and fully decode the first frame (and make
    its thumbnail from those pixels).

    Pillow's own bomb guard (past its process-wide limit: a warning, then an error) is TooLarge too: where
    warnings are errors its warning arrives as one; elsewhere it is only logged and our limit refuses the image.
    """
    try:
        with Image.open(BytesIO(data), formats=DECODERS) as probe:  # reads the header only
            width, height = probe.size
            mime = Image.MIME.get(probe.format or "", "")
            _check_dimensions(width, height, max_pixels=max_pixels, max_side=max_side)
            probe.verify()  # structure and checksums, without decoding pixels
        with Image.open(BytesIO(data), formats=DECODERS) as image:
            image.load()  # a truncated or corrupt stream fails here
            thumbnail = _thumbnail_or_none(image)  # from the pixels just decoded (one decode, not two)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge(
            f"the image has too many pixels (limit {max_pixels})", details={"limit": max_pixels}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise UnsupportedContent(f"the image is corrupt or truncated ({type(error).__name__})") from None
    return ImageFacts(width=width, height=height, format=mime, thumbnail=thumbnail)


def _thumbnail_or_none(image: Image.Image) -> bytes | None:
    try:
        return _thumbnail_of(image)
    except (OSError, ValueError):  # a mode JPEG cannot hold: the upload stands without a thumbnail
        log.warning("thumbnail failed", exc_info=True)
        return None


def _check_dimensions(width: int, height: int, *, max_pixels: int, max_side: int) -> None:
    if width < 1 or height < 1:
        raise UnsupportedContent("the image has no pixels")
    if width > max_side or height > max_side or width * height > max_pixels:
        raise TooLarge(
            f"the image is {width}x{height}; the limits are {max_side} px a side and {max_pixels} pixels",
            details={"limit": max_pixels},
        )


class PillowImages:
    """Implements app.domain.uploads.ImageInspector (decoding runs in a thread: it is CPU work)."""

    async def inspect(self, data: bytes, limits: UploadLimits) -> ImageFacts:
        return await asyncio.to_thread(
            inspect_image, data, max_pixels=limits.max_image_pixels, max_side=limits.max_image_side
        )
