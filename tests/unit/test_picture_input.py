"""Any upload becomes a float picture in [-1, 1], or a ValueError a person can read."""
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from explainer.data.bundled import bundled_sample
from explainer.data.pixels import to_model
from explainer.data.picture_input import MAX_SIDE, load_picture

from tests.conftest import refused


def _bytes(im: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _colour(h=40, w=60) -> Image.Image:
    a = np.zeros((h, w, 3), np.uint8)
    a[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)  # a red ramp left to right
    a[..., 2] = 200
    return Image.fromarray(a)


def test_rgb_png_keeps_values_shape_and_range():
    x = load_picture(_bytes(_colour()))
    assert x.shape == (40, 60, 3) and x.dtype == np.float32
    assert x[0, 0, 0] == -1.0 and x[0, -1, 0] == 1.0
    np.testing.assert_allclose(x[..., 2], 200 / 127.5 - 1, atol=1e-6)


def test_file_path_and_bundled_digit(tmp_path):
    digit = bundled_sample().images[0]
    path = tmp_path / "digit.png"
    Image.fromarray(digit).save(path)
    x = load_picture(str(path))
    assert x.shape == (28, 28)  # grayscale stays one channel, small pictures are not enlarged
    np.testing.assert_allclose(x, to_model(digit[None])[0, 0].numpy(), atol=1e-6)
    np.testing.assert_allclose(load_picture(digit), x, atol=1e-6)  # the same digit as a numpy array


def test_rgba_transparency_is_laid_over_white():
    a = np.zeros((10, 10, 4), np.uint8)
    a[:, :5] = (0, 0, 0, 255)  # opaque black left half, fully transparent right half
    x = load_picture(_bytes(Image.fromarray(a, "RGBA")))
    assert x.shape == (10, 10, 3)
    assert (x[:, :5] == -1).all() and (x[:, 5:] == 1).all()


def test_cmyk_jpeg_becomes_rgb():
    x = load_picture(_bytes(_colour().convert("CMYK"), "JPEG", quality=95))
    assert x.shape == (40, 60, 3)
    assert abs(float(x[..., 2].mean()) - (200 / 127.5 - 1)) < 0.05  # the blue channel survives the round trip


def test_16_bit_gray_is_scaled_by_its_range():
    a = np.zeros((8, 8), np.uint16)
    a[:, 4:] = 65535
    a[0, 0] = 32768
    im = Image.fromarray(a)
    assert im.mode.startswith("I;16")
    x = load_picture(_bytes(im))
    assert x.shape == (8, 8)
    assert x[1, 0] == -1.0 and x[0, 5] == 1.0 and abs(float(x[0, 0])) < 1e-3


def test_palette_image():
    im = _colour().convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    x = load_picture(_bytes(im))
    assert x.shape == (40, 60, 3) and x[..., 0].max() > 0.8


def test_animated_gif_gives_its_first_frame():
    red, green = Image.new("RGB", (20, 20), (255, 0, 0)), Image.new("RGB", (20, 20), (0, 255, 0))
    x = load_picture(_bytes(red, "GIF", save_all=True, append_images=[green, green]))
    assert x.shape == (20, 20, 3)
    np.testing.assert_allclose(x[0, 0], [1, -1, -1], atol=0.02)


def test_large_picture_is_shrunk_keeping_its_aspect():
    x = load_picture(_bytes(Image.new("RGB", (1200, 600), (10, 20, 30))))
    assert x.shape == (MAX_SIDE // 2, MAX_SIDE, 3)
    x = load_picture(_bytes(Image.new("L", (300, 900), 128), "JPEG"))
    assert x.shape == (MAX_SIDE, round(300 * MAX_SIDE / 900))


def test_numpy_arrays_as_gradio_hands_them_over():
    assert load_picture(np.full((5, 7, 3), 255, np.uint8)).shape == (5, 7, 3)
    assert load_picture(np.zeros((5, 7, 4), np.uint8)).min() == 1.0  # transparent -> white
    x = load_picture(np.linspace(0, 1, 12, dtype=np.float64).reshape(3, 4))  # floats in [0, 1]
    assert x[0, 0] == -1.0 and x[-1, -1] == 1.0


@pytest.mark.parametrize("data, message", [
    (b"", "not a picture"),
    (b"hello, this is text", "not a picture"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a picture|could not be read"),
])
def test_non_images_are_refused(data, message):
    with refused(message):
        load_picture(data)


def test_text_file_named_png_and_truncated_png(tmp_path):
    fake = tmp_path / "photo.png"
    fake.write_text("definitely not a PNG")
    with refused("photo.png is not a picture"):
        load_picture(str(fake))
    cut = tmp_path / "cut.png"
    cut.write_bytes(_bytes(Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)))[:300])
    with refused("damaged or truncated"):
        load_picture(str(cut))


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims a huge size (a decompression bomb's calling card)."""
    raw = _bytes(Image.new("L", (1, 1)))
    ihdr = struct.pack(">II", width, height) + raw[24:29]
    chunk = b"IHDR" + ihdr
    return raw[:12] + chunk + struct.pack(">I", zlib.crc32(chunk)) + raw[33:]


@pytest.mark.parametrize("side", [8_000, 20_000, 100_000])  # ours, then Pillow's own guard
def test_decompression_bombs_are_refused_before_decoding(side):
    with refused("megapixels|enormous"):
        load_picture(_png_claiming(side, side))


@pytest.mark.parametrize("value, error", [
    (None, ValueError), (42, TypeError), ("/no/such/file.png", ValueError),
    (np.zeros((4, 4, 2), np.uint8), ValueError), (np.full((4, 4), np.nan), ValueError),
    (np.zeros((0, 4), np.uint8), ValueError), (np.array([["a"]]), TypeError),
])
def test_bad_values_get_a_plain_error(value, error):
    with pytest.raises(error):
        load_picture(value)
