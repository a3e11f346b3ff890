"""Whole files only in Gradio's output cache.

Gradio 6.31 saves each image output under a name made from a hash of its bytes and rewrites that file in place
whenever the same image is produced again. When two users of a classroom ask for the same picture (a GAN story
checkpoint, a tab's default), one may download it while the other's request truncates and refills it: the
download breaks ("peer closed connection", seen in benchmarks/load.py). Gradio already writes copied files
under a temporary name and renames them into place (save_file_to_cache); `install` does the same for images
and bytes. A rename swaps the file in one step, so every reader gets the old whole file or the new whole one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gradio import processing_utils as gradio_files

GRADIO_SAVE_PIL = gradio_files.save_pil_to_cache  # the writer `install` replaces, kept for tests


def write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees it partly written."""
    fd, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(staging, 0o644)  # mkstemp's 0600 would differ from the in-place write it replaces
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


def _save_whole(data: bytes, file_name: str, cache_dir: str) -> str:
    """Gradio's cache layout (a folder named by the hash of the bytes), written with `write_whole`."""
    folder = Path(cache_dir) / gradio_files.hash_bytes(data)
    folder.mkdir(exist_ok=True, parents=True)
    path = (folder / Path(file_name).name).resolve()
    write_whole(path, data)
    return str(path)


def save_pil_to_cache(img, cache_dir: str, name: str = "image", format: str = "webp") -> str:
    return _save_whole(gradio_files.encode_pil_to_bytes(img, format), f"{name}.{format}", cache_dir)


def save_bytes_to_cache(data: bytes, file_name: str, cache_dir: str) -> str:
    if not Path(file_name).suffix:
        file_name += gradio_files.detect_audio_format(data)
    return _save_whole(data, file_name, cache_dir)


def install() -> None:
    """Route Gradio's image and bytes caching through the writers above (its components look them up on the module
    at each call, so replacing the module's names is enough)."""
    gradio_files.save_pil_to_cache = save_pil_to_cache
    gradio_files.save_bytes_to_cache = save_bytes_to_cache
