"""Generative CV explainer: `python app.py` serves the app on http://127.0.0.1:7860 (offline, from pretrained/)."""
import os
import sys

if __name__ == "__main__" and "MALLOC_ARENA_MAX" not in os.environ:
    # glibc gives every handler thread its own malloc arena and keeps what each frees: under 50 users the server
    # grew +64% with the default, +29% with two arenas (benchmarks/load.py). The setting is read only when a
    # process starts, so start again with it, before anything heavy is imported.
    os.environ["MALLOC_ARENA_MAX"] = "2"
    os.execv(sys.executable, [sys.executable, *sys.argv])

from explainer.ui import build_demo, launch_options  # noqa: E402

demo = build_demo()

if __name__ == "__main__":
    demo.launch(**launch_options())
