"""The server keeps few malloc arenas and hands free pages back (glibc); elsewhere the calls are no-ops."""
import ast
import platform

import pytest

from conftest import ROOT, rss_mb
from explainer import memory

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


def test_app_limits_arenas_before_importing_the_ui():
    """torch and Gradio start threads on import: the limit must come first to cover them."""
    calls = [n for n in ast.parse((ROOT / "app.py").read_text()).body if not isinstance(n, ast.Expr) or not
             isinstance(getattr(n, "value", None), ast.Constant)]
    order = [ast.unparse(n) for n in calls]
    limit = next(i for i, s in enumerate(order) if "limit_arenas" in s)
    ui = next(i for i, s in enumerate(order) if "explainer.ui" in s)
    assert limit < ui, order
