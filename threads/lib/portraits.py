"""Character portraits: an uploaded file in, a clean portrait and thumbnail out.

Uploads are never stored as sent. Each one must decode as a real JPEG, PNG, GIF or WebP
image of reasonable dimensions; it is then re-encoded from its pixels alone, which drops
EXIF (camera, GPS), comments and every other chunk of metadata, and saved under a random
name so the uploader's file name is not kept either.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A decompression bomb is a small file that decodes to a huge picture (a few KB of PNG can
# claim 40 million pixels: most of a second and 360 MB to decode). A portrait is shown at
# 512 pixels; 4096 × 4096 still takes any phone's photo (12 MP) and keeps decoding a PNG
# within a fraction of a second and 70 MB. Refused from the header, before decoding.
MAX_PIXELS = 4096 * 4096
ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
PORTRAIT_SIZE = 512
THUMB_SIZE = 96

NOT_AN_IMAGE = "This file is not a picture we can read. Upload a JPEG, PNG, GIF or WebP image."


def _open_checked(upload):
    """Decode the upload fully, refusing anything that is not a whole, sane image."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This picture is %(size)s MB; portraits can be at most 5 MB.",
            code="too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}"},
        )
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; treat that as a bomb too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only our four formats' parsers ever see the bytes (no PostScript, no TIFF).
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    "This picture is too large (%(w)s × %(h)s pixels); portraits can be at "
                    "most 4096 × 4096. Make it smaller first.",
                    code="too_many_pixels",
                    params={"w": width, "h": height},
                )
            # A JPEG can decode at a half, a quarter or an eighth of its size: enough for
            # the portrait, and that much faster.
            image.draft(None, (2 * PORTRAIT_SIZE, 2 * PORTRAIT_SIZE))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                "This picture is too large to open. Make it smaller first.",
                code="too_many_pixels",
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            # OSError covers truncated and corrupt files; the others, malformed headers.
            raise ValidationError(NOT_AN_IMAGE, code="invalid") from None
    return image


def _portrait(image):
    """The first frame, in RGB or RGBA, shrunk to fit PORTRAIT_SIZE, then turned upright
    (phones store rotation in EXIF). Shrinking first keeps every later step small; the
    bounding box is square, so turning after shrinking gives the same size."""
    image.seek(0)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)  # before resizing: a palette image resizes coarsely
    image.thumbnail((PORTRAIT_SIZE, PORTRAIT_SIZE), Image.Resampling.LANCZOS)
    return ImageOps.exif_transpose(image)


def _encode(image, stem, suffix):
    """Re-encode from pixels only: a fresh info dict means no EXIF, ICC or text chunks."""
    image.info = {}
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(buffer, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{stem}{suffix}.{extension}")


def process_portrait(upload):
    """Check an uploaded file and return ``(portrait, thumbnail)`` as ContentFiles.

    The portrait fits in PORTRAIT_SIZE pixels, keeping its shape; the thumbnail is a
    square THUMB_SIZE crop from the centre. Raises ValidationError with a message a writer
    can act on for anything that is not a usable picture.
    """
    portrait = _portrait(_open_checked(upload))
    stem = uuid.uuid4().hex
    thumb = ImageOps.fit(portrait, (THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    return _encode(portrait, stem, ""), _encode(thumb, stem, "-thumb")
