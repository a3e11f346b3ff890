"""Tiny CPU work on one torch thread (the 2-D lab's MLPs), safe when several requests do it at once."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import torch

_ONE_THREAD_LOCK = threading.Lock()
_one_thread_users = 0
_threads_before = 0


@contextmanager
def one_thread():
    """Run a block of tiny CPU work (the 2-D lab's MLPs) on one torch thread; usable as a decorator too. Their
    ops are too small to share between cores, and on a busy 2-core machine two threads spin-waiting for each
    other made them 30-40x slower (measured).
    torch's thread count is per OS thread once a thread has run torch code, and new threads copy a process-wide
    value that every set_num_threads also writes. So each user sets 1 for its own thread, and on the way out
    restores the count that held before the first of any concurrent users came in, never a 1 it may have
    inherited from another user: both its own thread and the process-wide value end where they started."""
    global _one_thread_users, _threads_before
    with _ONE_THREAD_LOCK:
        if _one_thread_users == 0:
            _threads_before = torch.get_num_threads()
        _one_thread_users += 1
        restore = _threads_before
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(restore)
        with _ONE_THREAD_LOCK:
            _one_thread_users -= 1
