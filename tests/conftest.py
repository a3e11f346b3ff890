"""Shared fixtures. Markers: `weights` needs pretrained/, `api` launches the app, `browser` drives Chromium."""
from __future__ import annotations

import contextlib
import gzip
import re
import socket
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def refused(pattern: str):
    """pytest.raises(ValueError, match=pattern), matched against what an English reader is told: a domain
    Problem carries only a key, so its sentence comes from the words (explainer.ui.validation.said)."""
    from explainer.ui.validation import said

    with pytest.raises(ValueError) as e:
        yield e
    text = said(e.value, "en")
    assert re.search(pattern, text), f"{pattern!r} not in {text!r}"


def write_idx(folder: Path, split: str, images: np.ndarray, labels: np.ndarray) -> None:
    """Write a tiny MNIST-format split (gzip IDX) for tests that must not need the real data."""
    from explainer.data.mnist import SPLIT_FILES

    img_name, lbl_name = SPLIT_FILES[split]
    folder.mkdir(parents=True, exist_ok=True)
    n, h, w = images.shape
    with gzip.open(folder / img_name, "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, h, w) + images.astype(np.uint8).tobytes())
    with gzip.open(folder / lbl_name, "wb") as f:
        f.write(struct.pack(">II", 2049, n) + labels.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_mnist(tmp_path) -> Path:
    """A fake MNIST folder built from the bundled real sample (train = test = the sample)."""
    from explainer.data.bundled import bundled_sample

    s = bundled_sample()
    folder = tmp_path / "mnist"
    for split in ("train", "test"):
        write_idx(folder, split, s.images, s.labels)
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_tab(build):
    """Launch one tab's `build()` alone in-process; yields a gradio_client Client (for tab API tests)."""
    import gradio as gr
    from gradio_client import Client

    from explainer.ui import gradio_checks_in_language, launch_options, serving

    with gr.Blocks() as demo:
        build()
    demo.queue(default_concurrency_limit=1)
    gradio_checks_in_language(demo)  # as build_demo does
    serving.schedule(demo)
    opts = launch_options() | dict(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    _, url, _ = demo.launch(**opts)
    try:
        yield Client(url, verbose=False)
    finally:
        demo.close()


@pytest.fixture(scope="session")
def app_url():
    """The real app, launched in-process on a free port."""
    from app import demo
    from explainer.ui import launch_options

    opts = launch_options() | dict(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    _, url, _ = demo.launch(**opts)
    yield url
    demo.close()


@pytest.fixture(scope="session")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process in MB, from /proc (Linux; no psutil needed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


class ServedApp:
    """`python app.py` in a subprocess on a free port: what a person (or a classroom) talks to."""

    LOG = ROOT / "artifacts" / "server.log"

    def __init__(self, timeout_s: float = 300):
        import os
        import subprocess
        import time
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.LOG.parent.mkdir(parents=True, exist_ok=True)
        env = os.environ | {"GRADIO_SERVER_PORT": str(self.port), "GRADIO_SERVER_NAME": "127.0.0.1",
                            "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
        self._log = open(self.LOG, "wb")
        self.proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.close()
                raise RuntimeError(f"python app.py exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.25)
        self.close()
        raise RuntimeError(f"python app.py gave no HTTP 200 within {timeout_s:.0f} s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        return self.LOG.read_text(errors="replace")[-chars:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture(scope="session")
def served_app():
    """One `python app.py` subprocess for the whole session (browser and bad-input suites share it)."""
    app = ServedApp()
    yield app
    app.close()


@pytest.fixture(scope="session")
def served_client(served_app):
    from gradio_client import Client

    return Client(served_app.url, verbose=False)


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session. Skipped without chromium, unless
    EXPLAINER_REQUIRE_BROWSER is set (CI), where it fails instead. Never a downloaded browser build."""
    import os
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("EXPLAINER_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed but EXPLAINER_REQUIRE_BROWSER is set")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=BROWSER_ARGS)
        yield b
        b.close()


# Gradio's marks of a running event: a pending output, or a status tracker that is showing.
BUSY = ".pending, .wrap.full:not(.hide)"


def wait_settled(page, timeout_ms: int = 120_000) -> None:
    """The app has drawn its tabs and no event is running. Not Playwright's "networkidle": with any gr.State
    in the app (the reverse and flow tabs) Gradio keeps a heartbeat stream open, so the network is never idle."""
    page.wait_for_selector("[role=tab]", timeout=timeout_ms)
    page.wait_for_function(f"() => !document.querySelector({BUSY!r})", timeout=timeout_ms)


def open_app_page(browser, url: str, **page_options):
    """A fresh page on the app, settled; page.errors collects uncaught JavaScript errors."""
    page = browser.new_page(**({"viewport": {"width": 1400, "height": 1000}} | page_options))
    page.set_default_timeout(60_000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url, wait_until="load", timeout=120_000)
    wait_settled(page)
    return page


# Latin words a Russian text may keep: names of models, methods, measures and symbols.
KEEP_LATIN = {"GAN", "DCGAN", "VAE", "AE", "DDPM", "DDIM", "MSE", "SSIM", "BCE", "SNR", "log", "eta", "eps", "nfe",
              "MNIST", "UNet", "PyTorch", "Gradio", "GIF", "CPU", "CUDA", "px", "x0", "x_t", "a_t", "s_t", "W1",
              "slerp", "lerp", "improved", "flow", "matching", "Stable", "Diffusion", "pretrained", "tanh",
              "English",  # the Russian page says how to switch to English
              "guidance", "classifier", "free", "SDEdit", "Flow", "rectified", "Flux", "score", "reflow", "Reflow",  # the terms students meet in papers, given in brackets
              "Nichol", "Dhariwal", "Salimans", "Song",  # cited authors
              "FID",
              "PNG", "JPEG", "WebP", "BMP", "TIFF", "RGB", "RGBA", "NaN", "IDX", "uint",  # formats and types
              "k_from", "k_to", "t_start", "t_end", "x_start"}  # arguments named in the maths' refusals


def english_words(text: str) -> list[str]:
    """Latin words of 3+ letters outside formulas and the allowed names: what a translation forgot."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\{[^{}]*\}|\S*[/=]\S*", " ", text, flags=re.S)  # + paths, URLs
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]{2,}", text) if w not in KEEP_LATIN]
