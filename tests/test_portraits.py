"""Portrait uploads: only real pictures get in, resized and without their metadata."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from threads.lib import portraits


def image_bytes(fmt="PNG", size=(800, 600), mode="RGB", color=(180, 90, 40), **save_args):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save_args)
    return buffer.getvalue()


def upload(data, name="portrait.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def decoded(content_file):
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


def error_of(data, name="portrait.png"):
    with pytest.raises(ValidationError) as caught:
        portraits.process_portrait(upload(data, name))
    return caught.value.messages[0]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_each_accepted_format_becomes_a_portrait_and_a_square_thumbnail(fmt):
    portrait, thumb = portraits.process_portrait(upload(image_bytes(fmt, size=(1200, 900))))
    assert decoded(portrait).size == (512, 384)
    assert decoded(thumb).size == (96, 96)


def test_a_small_picture_is_not_blown_up():
    portrait, _ = portraits.process_portrait(upload(image_bytes(size=(200, 300))))
    assert decoded(portrait).size == (200, 300)


def test_gps_and_camera_exif_are_stripped():
    exif = Image.Exif()
    exif[0x010F] = "Phonemaker"  # camera make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    data = image_bytes("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()  # the upload really carries EXIF
    portrait, thumb = portraits.process_portrait(upload(data, "holiday.jpg"))
    for stored in (portrait, thumb):
        image = decoded(stored)
        assert not image.getexif()
        assert "exif" not in image.info


def test_png_text_chunks_are_stripped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Someone's real name")
    portrait, _ = portraits.process_portrait(upload(image_bytes("PNG", pnginfo=info)))
    assert "Author" not in decoded(portrait).info


def test_the_uploaders_file_name_is_not_kept():
    portrait, thumb = portraits.process_portrait(upload(image_bytes(), "my-real-name.png"))
    assert "my-real-name" not in portrait.name
    assert thumb.name.endswith("-thumb.jpg")


def test_transparency_is_kept_as_png():
    data = image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0))
    portrait, _ = portraits.process_portrait(upload(data))
    assert portrait.name.endswith(".png")
    assert decoded(portrait).getpixel((0, 0))[3] == 0


def test_a_sideways_phone_photo_is_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    data = image_bytes("JPEG", size=(400, 200), exif=exif.tobytes())
    portrait, _ = portraits.process_portrait(upload(data, "phone.jpg"))
    assert decoded(portrait).size == (200, 400)


def test_a_text_file_renamed_png_is_refused():
    message = error_of(b"Dear diary, today I renamed a text file.\n", "notes.png")
    assert "not a picture" in message


def test_an_empty_file_is_refused():
    assert "not a picture" in error_of(b"")


def test_a_truncated_image_is_refused():
    data = image_bytes("JPEG", size=(600, 600))
    assert "not a picture" in error_of(data[: len(data) // 2], "cut.jpg")


def test_a_format_we_do_not_take_is_refused():
    assert "JPEG, PNG, GIF or WebP" in error_of(image_bytes("BMP"), "old.bmp")


def test_a_file_over_five_megabytes_is_refused_before_decoding():
    data = image_bytes() + b"\0" * (5 * 1024 * 1024)
    assert "at most 5 MB" in error_of(data)


def _png_claiming(width, height):
    """A tiny PNG whose header claims huge dimensions: a decompression bomb's calling card."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [10_000, 30_000])
def test_a_decompression_bomb_is_refused_without_decoding(side):
    # 10,000² is over our limit but under Pillow's; 30,000² is over Pillow's too.
    assert "too large" in error_of(_png_claiming(side, side))
