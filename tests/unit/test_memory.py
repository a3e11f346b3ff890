"""The server keeps few malloc arenas, hands free pages back (glibc) and keeps no MKL buffers per thread; elsewhere
the glibc calls are no-ops."""
import ast
import os
import platform
import subprocess
import sys

import pytest

from tests.conftest import ROOT, rss_mb
from explainer.runtime import memory

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")


@glibc
def test_arenas_are_limited_and_free_pages_go_back():
    assert memory.limit_arenas(2)
    blocks = [bytearray(64 * 1024) for _ in range(4000)]  # 256 MB in heap chunks (below the mmap threshold)
    full = rss_mb()
    del blocks[::2]  # free every other chunk: holes glibc keeps inside the heap
    assert memory.release_free_memory()
    after = rss_mb()
    assert after < full - 60, f"RSS {full:.0f} -> {after:.0f} MB after trimming"


# Each of 4 threads that stay alive (as Gradio's workers do) runs one GAN-sized matrix product; prints MB kept per thread.
THREAD_BUFFERS = """
import sys, threading
from explainer.runtime import memory
if sys.argv[1] == "off":
    memory.no_mkl_thread_buffers()
import torch
from tests.conftest import rss_mb
layer, x = torch.nn.Linear(1024, 6272), torch.randn(64, 1024)
def work():
    with torch.inference_mode():
        layer(x)
work()
memory.release_free_memory()
before, hold = rss_mb(), threading.Event()
for _ in range(4):
    done = threading.Event()
    threading.Thread(target=lambda d=done: (work(), d.set(), hold.wait()), daemon=True).start()
    done.wait()
memory.release_free_memory()
print((rss_mb() - before) / 4)
"""


def _kept_per_thread(mode: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "MKL_DISABLE_FAST_MM"}  # this process may have set it
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    out = subprocess.run([sys.executable, "-c", THREAD_BUFFERS, mode], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.split()[-1])


@glibc
def test_threads_keep_no_mkl_buffers():
    """MKL's per-thread buffer cache cost ~10 MB per Gradio worker thread that ran the GAN (benchmarks/load.py)."""
    import torch

    off = _kept_per_thread("off")
    assert off < 2, f"{off:.1f} MB kept per thread"
    if torch.backends.mkl.is_available():  # the setting never costs memory; how much it saves depends on the CPU's
        default = _kept_per_thread("default")  # MKL code path: ~10 MB a thread on one machine, 1.9 MB on another
        assert off <= default + 0.5, f"{off:.1f} MB with the setting, {default:.1f} MB without"


def test_app_limits_arenas_before_importing_the_ui():
    """torch and Gradio start threads on import: the limit must come first to cover them; MKL reads its setting
    as torch is imported."""
    calls = [n for n in ast.parse((ROOT / "app.py").read_text()).body if not isinstance(n, ast.Expr) or not
             isinstance(getattr(n, "value", None), ast.Constant)]
    order = [ast.unparse(n) for n in calls]
    limit = next(i for i, s in enumerate(order) if "limit_arenas" in s)
    mkl = next(i for i, s in enumerate(order) if "no_mkl_thread_buffers" in s)
    ui = next(i for i, s in enumerate(order) if "explainer.ui" in s)
    assert limit < ui and mkl < ui, order
