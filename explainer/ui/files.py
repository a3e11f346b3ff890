"""Short-lived files handed to Gradio (GIFs for download). Old ones are swept so a long-running
Space does not fill its disk. Each file sits in a folder of its own, so that it can carry the name a reader
would give it (`gan-walk-1-to-2.gif`, not a hash): the browser downloads it under that name."""
from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

TEMP_DIR = Path(tempfile.gettempdir()) / "explainer-media"
MAX_AGE_S = 15 * 60


def temp_file(data: bytes, suffix: str, name: str = "explainer") -> str:
    """Write `data` as `name` + `suffix` (name reduced to letters, digits and dashes) and return its path."""
    TEMP_DIR.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in TEMP_DIR.glob("*"):
        try:
            if now - old.stat().st_mtime > MAX_AGE_S:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        except OSError:
            pass  # another worker removed it first
    folder = TEMP_DIR / uuid.uuid4().hex
    folder.mkdir()
    path = folder / (re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-")[:80] + suffix)
    path.write_bytes(data)
    return str(path)


def same_content(a: str, b: str) -> bool:
    """Whether two files hold the same bytes (one GIF made once per language: are its pictures the same?)."""
    return Path(a).read_bytes() == Path(b).read_bytes()
