"""Short-lived files handed to Gradio (GIFs for download). Old ones are swept so a long-running
Space does not fill its disk."""
from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

TEMP_DIR = Path(tempfile.gettempdir()) / "explainer-media"
MAX_AGE_S = 15 * 60


def temp_file(data: bytes, suffix: str) -> str:
    TEMP_DIR.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in TEMP_DIR.glob("*"):
        try:
            if now - old.stat().st_mtime > MAX_AGE_S:
                old.unlink()
        except OSError:
            pass  # another worker removed it first
    path = TEMP_DIR / f"{uuid.uuid4().hex}{suffix}"
    path.write_bytes(data)
    return str(path)
