"""Gradio's image cache never hands out a half-written file while the same image is saved again (a classroom
asking for the same picture at once). The harness must also catch the tearing of Gradio's own writer, or a pass
would mean nothing."""
import threading
import time

import numpy as np
from gradio import processing_utils
from PIL import Image

from explainer.ui import atomic_cache

IMAGE = Image.fromarray(np.random.default_rng(0).integers(0, 255, (256, 256, 3), dtype=np.uint8))


def torn_reads(save, tmp_path, seconds: float = 1.0) -> tuple[int, int]:
    """(reads, reads shorter than the whole file) while another thread keeps saving the same image."""
    path = save(IMAGE, str(tmp_path), format="png")
    whole = len(open(path, "rb").read())
    stop = threading.Event()

    def rewrite():
        while not stop.is_set():
            save(IMAGE, str(tmp_path), format="png")

    writer = threading.Thread(target=rewrite)
    writer.start()
    reads, torn, end = 0, 0, time.perf_counter() + seconds
    try:
        while time.perf_counter() < end:
            reads += 1
            torn += len(open(path, "rb").read()) != whole
    finally:
        stop.set()
        writer.join()
    return reads, torn


def test_gradio_writer_tears_under_the_harness(tmp_path):
    reads, torn = torn_reads(atomic_cache.GRADIO_SAVE_PIL, tmp_path)
    assert torn > 0, f"no torn read in {reads}: Gradio may write atomically now, and atomic_cache can go"


def test_installed_writer_never_tears(tmp_path):
    reads, torn = torn_reads(atomic_cache.save_pil_to_cache, tmp_path)
    assert reads > 100 and torn == 0, f"{torn} of {reads} reads saw part of the file"


def test_install_reaches_image_outputs(tmp_path, monkeypatch):
    import gradio as gr

    monkeypatch.setattr(processing_utils, "save_pil_to_cache", processing_utils.save_pil_to_cache)  # undone after
    monkeypatch.setattr(processing_utils, "save_bytes_to_cache", processing_utils.save_bytes_to_cache)
    atomic_cache.install()
    seen = []
    real = atomic_cache.write_whole
    monkeypatch.setattr(atomic_cache, "write_whole", lambda path, data: (seen.append(path), real(path, data)))
    out = gr.Image(format="png").postprocess(np.asarray(IMAGE))
    assert seen and str(seen[0]) == out.path and Image.open(out.path).size == (256, 256)
    path = processing_utils.save_bytes_to_cache(b"abc", "note.txt", str(tmp_path))
    assert open(path, "rb").read() == b"abc" and len(seen) == 2
