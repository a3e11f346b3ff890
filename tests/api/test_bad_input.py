"""Bad input against `python app.py`: odd pictures and out-of-range, NaN, huge and wrongly typed values for
every public endpoint the app has (discovered from the app, so new tabs are covered when they land).

Each bad request must be answered with a clear one-line-ish message (not a crash report, not the generic
"Something went wrong"), the server must answer the next normal request, and its resident memory must
come back near where it started.
"""
import io
import json
import math
import urllib.request

import numpy as np
import pytest
from PIL import Image

from tests.conftest import ROOT, rss_mb

pytestmark = [pytest.mark.api, pytest.mark.weights]
# Component names as the API reports them (view_api calls a gr.Sketchpad "Imageeditor"), compared lower-case.
DRAWING_COMPONENTS = {"sketchpad", "imageeditor"}
FILE_COMPONENTS = {"file", "image"} | DRAWING_COMPONENTS
NUMBER_COMPONENTS = {"number", "slider"}
CHOICE_COMPONENTS = {"radio", "dropdown"}


# ---------- talking to the server ----------

def raw_call(url: str, api: str, data: list, timeout: float = 120) -> tuple[str, object]:
    """POST /gradio_api/call/NAME with literal JSON (NaN and Infinity included, which gradio_client refuses
    to send) and read the streamed answer: ("complete", outputs) or ("error", message)."""
    body = json.dumps({"data": data}, allow_nan=True).encode()
    req = urllib.request.Request(f"{url}gradio_api/call/{api}", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        event_id = json.load(r)["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/{api}/{event_id}", timeout=timeout) as r:
        event = None
        for line in r.read().decode().splitlines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                return event, json.loads(line.split(":", 1)[1])
    raise AssertionError(f"{api}: no complete or error event")


def assert_clear(message, context: str):
    """A message a person can act on: present, short, no stack trace, not the catch-all for crashes."""
    text = str(message or "")
    assert text and text != "None", f"{context}: error without a message"
    assert "Traceback" not in text and 'File "' not in text, f"{context}: stack trace leaked: {text[:300]}"
    assert "Something went wrong" not in text, f"{context}: an unexpected crash: {text[:300]}"
    assert len(text) < 700, f"{context}: message too long: {text[:300]}"


@pytest.fixture(scope="module")
def endpoints(served_client):
    """api name -> list of (parameter name, component name, default) for every public endpoint."""
    api = served_client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    return {name.lstrip("/"): [(p["parameter_name"], p["component"].lower(), p.get("parameter_default")) for p in ep["parameters"]]
            for name, ep in api.items()}


@pytest.fixture(scope="module")
def bounds():
    """api name -> per input: (minimum, maximum, choices) from the app's own components."""
    from app import demo

    out = {}
    for fn in demo.fns.values():
        if fn.api_name and fn.api_visibility == "public":
            out[fn.api_name] = [(getattr(c, "minimum", None), getattr(c, "maximum", None),
                                 [v for _, v in getattr(c, "choices", None) or []]) for c in fn.inputs]
    return out


def healthy(served_app):
    """The server still answers a normal request."""
    event, out = raw_call(served_app.url, "gan_sample", [1, 2])
    assert event == "complete" and out[0]["path"].endswith(".png") and "2 digits" in out[1], (event, out)
    assert served_app.alive()


@pytest.fixture(scope="module")
def baseline_rss(served_app, endpoints):
    """Memory after one normal call of every endpoint (caches and lazy imports warmed up)."""
    for name, params in endpoints.items():
        raw_call(served_app.url, name, [d for _, _, d in params])
    healthy(served_app)
    return rss_mb(served_app.pid)


# ---------- odd pictures ----------

def _png(im: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", **kw)
    return buf.getvalue()


def _digit(mode_size=(64, 64)) -> np.ndarray:
    yy, xx = np.mgrid[0:mode_size[1], 0:mode_size[0]]
    return ((np.hypot(xx - mode_size[0] / 2, yy - mode_size[1] / 2) < mode_size[0] / 4) * 255).astype(np.uint8)


def odd_pictures(folder) -> dict[str, tuple[str, bool]]:
    """name -> (path, should it be accepted). Accepted ones are legitimate pictures in unusual formats."""
    d = _digit()
    files = {}

    def put(name, data, ok):
        (folder / name).write_bytes(data)
        files[name] = (str(folder / name), ok)

    put("corrupt.png", _png(Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64), np.uint8)))[:300], False)
    put("text.png", b"this is a shopping list, not a picture\n" * 20, False)
    put("empty.png", b"", False)
    put("huge_8000.png", _png(Image.new("L", (8000, 8000), 0), optimize=True), False)
    put("rgba.png", _png(Image.fromarray(np.dstack([d, d, d, d]), "RGBA")), True)
    buf = io.BytesIO()
    Image.fromarray(d).convert("CMYK").save(buf, format="JPEG")
    put("cmyk.jpg", buf.getvalue(), True)
    put("gray16.png", _png(Image.fromarray(d.astype(np.uint16) * 257, "I;16")), True)
    put("palette.png", _png(Image.fromarray(d).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)), True)
    buf = io.BytesIO()
    frames = [Image.fromarray(np.roll(d, k, axis=1)).convert("P") for k in range(0, 30, 10)]
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    put("animated.gif", buf.getvalue(), True)
    return files


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    return odd_pictures(tmp_path_factory.mktemp("odd"))


EMPTY_DRAWING = {"background": None, "layers": [], "composite": None}


# Endpoints whose first input chooses where the picture comes from: the file goes in only when chosen.
SOURCE_CHOICE = {"reverse_sdedit": {"image": "Upload", "imageeditor": "Drawing"}}


def _defaults_with_source(name, params, i):
    args = [d for _, _, d in params]
    if name in SOURCE_CHOICE:
        args[0] = SOURCE_CHOICE[name][params[i][1]]
    return args


def _file_endpoints(endpoints):
    return [(name, i) for name, params in endpoints.items() for i, (_, comp, _) in enumerate(params) if comp in FILE_COMPONENTS]


def test_every_picture_input_handles_odd_files(served_app, served_client, endpoints, pictures, baseline_rss):
    from gradio_client import handle_file

    targets = _file_endpoints(endpoints)
    if not targets:
        pytest.skip("no endpoint takes a picture")
    assert any(endpoints[name][i][1] in DRAWING_COMPONENTS for name, i in targets), "no drawing input was found"
    for name, i in targets:
        params = endpoints[name]
        for file_name, (path, ok) in pictures.items():
            args = _defaults_with_source(name, params, i)
            # a drawing input takes the editor's dict: the file as the background and as the flattened picture
            args[i] = ({"background": handle_file(path), "layers": [], "composite": handle_file(path)}
                       if params[i][1] in DRAWING_COMPONENTS else handle_file(path))
            context = f"/{name} with {file_name}"
            try:
                served_client.predict(*args, api_name=f"/{name}")
            except Exception as e:  # gradio_client raises with the server's message
                assert not ok, f"{context} should be accepted, got: {e}"
                assert_clear(e, context)
            else:
                assert ok, f"{context} should have been refused"
        if params[i][1] in DRAWING_COMPONENTS:  # an empty drawing
            args = _defaults_with_source(name, params, i)
            args[i] = EMPTY_DRAWING
            event, out = raw_call(served_app.url, name, args)
            assert event == "error", f"/{name} with an empty drawing should be refused, got {out}"
            assert_clear(out, f"/{name} with an empty drawing")
        healthy(served_app)


def test_uploads_over_the_size_cap_are_refused(served_app, tmp_path):
    import httpx

    from explainer.ui import MAX_UPLOAD

    cap = int(MAX_UPLOAD.rstrip("mb")) * 10**6
    data = b"\x89PNG\r\n\x1a\n" + bytes(cap + 2**20)
    r = httpx.post(f"{served_app.url}gradio_api/upload", files={"files": ("big.png", data, "image/png")}, timeout=120)
    assert r.status_code == 413, (r.status_code, r.text[:200])
    assert_clear(r.text, "a too large upload")
    small = httpx.post(f"{served_app.url}gradio_api/upload", files={"files": ("ok.png", _png(Image.new("L", (28, 28))), "image/png")})
    assert small.status_code == 200
    healthy(served_app)


def test_paths_outside_the_upload_cache_are_not_read(served_app, endpoints):
    """A client may name any server path in a file payload; gradio must refuse it before a handler sees it."""
    for name, i in _file_endpoints(endpoints):
        args = [d for _, _, d in endpoints[name]]
        for payload in ({"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}, "/etc/passwd",
                        {"path": str(ROOT / "pretrained" / "judge.json"), "meta": {"_type": "gradio.FileData"}}):
            args[i] = payload
            event, out = raw_call(served_app.url, name, args)
            assert event == "error", f"/{name} read {payload}: {str(out)[:200]}"
            assert "root:" not in json.dumps(out)
    healthy(served_app)


# ---------- bad values for every parameter ----------

WRONG_TYPES = ["abc", None, [1, 2], {"x": 1}]


def _bad_values(component: str, lo, hi, choices) -> list:
    if component in NUMBER_COMPONENTS:
        out = [math.nan, math.inf, -math.inf, 1e308, -1e308, 10**30, *WRONG_TYPES]
        out += [v for v in (None if hi is None else hi + 1, None if lo is None else lo - 1) if v is not None]
        return out
    if component in CHOICE_COMPONENTS:
        return ["definitely not an option", 5, [choices[:1]], {"x": 1}]
    if component in FILE_COMPONENTS:
        return ["not a file payload", 7, [1, 2]]
    return []


def test_every_parameter_refuses_bad_values(served_app, endpoints, bounds, baseline_rss):
    checked = 0
    for name, params in endpoints.items():
        for i, (pname, component, _) in enumerate(params):
            lo, hi, choices = bounds[name][i]
            for value in _bad_values(component, lo, hi, choices):
                args = [d for _, _, d in params]
                args[i] = value
                context = f"/{name} {pname}={value!r}"
                event, out = raw_call(served_app.url, name, args)
                assert event == "error", f"{context} was accepted: {str(out)[:200]}"
                assert_clear(out, context)
                checked += 1
        healthy(served_app)
    assert checked >= 20


def test_a_call_with_too_few_inputs_gets_one_line(served_app, endpoints):
    """No arguments at all (or too few): how many the endpoint takes, not Gradio's list of its components."""
    for name, params in endpoints.items():
        if not params:
            continue
        event, out = raw_call(served_app.url, name, [])
        assert event == "error", f"/{name} with no inputs was accepted"
        assert_clear(out, f"/{name} with no inputs")
        assert "object at 0x" not in str(out) and f"takes {len(params)} inputs" in str(out), f"/{name}: {str(out)[:300]}"
    healthy(served_app)


def test_memory_returns_to_baseline(served_app, baseline_rss):
    """After all of the above (run this file in order), memory is near where the warmed-up server started."""
    for _ in range(3):
        healthy(served_app)
    after = rss_mb(served_app.pid)
    print(f"server RSS: baseline {baseline_rss:.0f} MB, after the bad-input suite {after:.0f} MB")
    assert after <= baseline_rss * 1.25 + 100, f"RSS grew from {baseline_rss:.0f} MB to {after:.0f} MB"
