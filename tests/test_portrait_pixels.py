"""The portrait pixel limit is what a portrait needs (4096 × 4096), checked from the file's
header before any decoding; a phone photo still gets in."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from threads.lib import portraits


def png(width, height):
    buffer = io.BytesIO()
    Image.new("L", (width, height), 200).save(buffer, format="PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


def test_a_picture_one_row_over_4096_squared_is_refused_before_decoding(monkeypatch):
    upload = png(4096, 4097)

    def never(self):
        raise AssertionError("decoded a picture that was already too large")

    monkeypatch.setattr(Image.Image, "load", never)
    with pytest.raises(ValidationError) as refused:
        portraits.process_portrait(upload)
    assert "at most 4096 × 4096" in refused.value.messages[0]


def test_forty_million_pixels_in_a_few_kilobytes_are_refused():
    upload = png(8000, 5000)
    assert upload.size < 200_000
    with pytest.raises(ValidationError, match="too large"):
        portraits.process_portrait(upload)


def test_a_phone_photo_of_twelve_megapixels_becomes_a_portrait():
    buffer = io.BytesIO()
    Image.new("RGB", (4032, 3024), (90, 120, 150)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")
    portrait, thumb = portraits.process_portrait(upload)
    assert Image.open(io.BytesIO(portrait.read())).size == (512, 384)
    assert Image.open(io.BytesIO(thumb.read())).size == (96, 96)
