"""Keep the server's resident memory near its working set under a classroom's load (glibc only, else no-op).

Gradio runs handlers and file encoding on a pool of threads. glibc gives threads their own malloc arenas (up
to 8 per core) and keeps freed memory inside each one, so under 50 users the server's RSS grew by about
two thirds and stayed there (benchmarks/load.py). Fewer arenas, and handing free pages back now and then,
keep it close to what the server really uses. Intel MKL (torch's BLAS on x86) also keeps a cache of GEMM
buffers in every thread that multiplies matrices, until the thread ends: about 10 MB per Gradio worker thread
that ran the GAN, and the worker pool grows to ~10 threads under 50 users. Imports nothing heavy: app.py
calls it before torch is imported or starts any thread.
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading
import time

M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h


def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:  # musl or another libc
        return None


def limit_arenas(n: int = 2) -> bool:
    """At most `n` malloc arenas for the whole process; effective for threads that allocate after the call."""
    libc = _glibc()
    return bool(libc and libc.mallopt(M_ARENA_MAX, n) == 1)


def no_mkl_thread_buffers() -> None:
    """MKL frees each call's work buffers instead of caching them per thread (MKL_DISABLE_FAST_MM, which MKL reads
    as torch is imported: setting it later has no effect). Under benchmarks/load.py (50 users) the server grew +23% with
    the cache and +9% without it, at the same latencies. An explicit setting in the environment wins."""
    os.environ.setdefault("MKL_DISABLE_FAST_MM", "1")


def release_free_memory() -> bool:
    """Return free heap pages to the system (they stay mapped but no longer count as resident)."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0))


def trim_every(seconds: float = 10.0) -> threading.Thread | None:
    """A daemon thread that calls release_free_memory() every `seconds` (a few ms each time)."""
    if _glibc() is None:
        return None

    def loop():
        while True:
            time.sleep(seconds)
            release_free_memory()

    thread = threading.Thread(target=loop, name="malloc-trim", daemon=True)
    thread.start()
    return thread
