"""Python-heavy CPU work (the 2-D lab's trainings) in worker processes, away from the server's interpreter lock.

A 2-D lab training is thousands of tiny torch ops, so most of its time is Python holding the interpreter lock
(GIL). Run in the server's own process, trainings held the lock from everything else: measured with 60 students
(benchmarks/classroom.py), the server then used 1.25 of its 2 cores and own-seed grids waited 13 s at p95. In a
worker process a training uses a core of its own and the server's threads keep theirs.

A worker is `python -m explainer.runtime.workers`, started by `start` (not multiprocessing, whose spawned
children would import `app.py` again and build a second demo). A job is a module-level function from bytes to
bytes (the caller encodes its own objects; nothing is pickled): the bytes go down the worker's stdin, and up a
private copy of its stdout come length-prefixed messages, progress as JSON while it runs, then the answer or
the error. One job per worker at a time.
"""
from __future__ import annotations

import importlib
import json
import os
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import torch

from explainer.runtime import memory
from explainer.runtime.problems import Problem

_HEADER = struct.Struct("!Q")
_JOB, _PROGRESS, _DONE, _ERROR = b"j", b"p", b"d", b"e"  # a message's first byte
_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the `explainer` package
_IDLE: queue.Queue | None = None  # workers free for a job
_SIZE = 0
_PRELOAD: tuple[str, ...] = ()
_LOCK = threading.Lock()


def _send(stream, data: bytes) -> None:
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream) -> bytes:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the worker process ended")
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the worker process ended mid-answer")
    return data


class _Worker:
    def __init__(self, preload: tuple[str, ...]):
        env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
        self.proc = subprocess.Popen([sys.executable, "-m", "explainer.runtime.workers", *preload],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=_ROOT)

    def call(self, job: bytes, progress: Callable | None) -> bytes:
        """Send a job; pass its progress messages on; return its answer or raise its error."""
        _send(self.proc.stdin, job)
        failed = None  # a progress bar that fails must not leave the job's later messages in the pipe
        while True:
            message = _receive(self.proc.stdout)
            kind, body = message[:1], message[1:]
            if kind == _DONE:
                if failed is not None:
                    raise failed
                return body
            if kind == _ERROR:
                raise _error(json.loads(body))
            if progress is not None and failed is None:
                try:
                    progress(*json.loads(body))
                except Exception as e:
                    failed = e

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def start(workers: int, preload: tuple[str, ...] = ()) -> None:
    """Send `run`'s jobs to `workers` processes from now on (0: run them in the caller's thread, the default).
    They start at once and import `preload` (module names, each with an optional `warm_worker()` run once), so
    the first job does not wait for torch."""
    global _IDLE, _SIZE, _PRELOAD
    with _LOCK:
        old, _SIZE, _PRELOAD = _IDLE, max(0, int(workers)), tuple(preload)
        _IDLE = queue.Queue()
        for _ in range(_SIZE):
            _IDLE.put(_Worker(_PRELOAD))
    while old is not None and not old.empty():
        old.get_nowait().close()


def started() -> int:
    """How many worker processes `run` uses (0: it runs in the caller's thread)."""
    return _SIZE


def run(fn: Callable[[bytes, Callable | None], bytes], job: bytes, progress: Callable | None = None) -> bytes:
    """fn(job, progress) in a worker process when `start` gave some, else right here. `fn` is a module-level
    function; what it passes to `progress` (JSON-able numbers and strings) reaches the caller's `progress`. A job
    waits for a free worker; a worker that dies is replaced, and its job runs here instead."""
    idle = _IDLE
    if not _SIZE or idle is None:
        return fn(job, progress)
    worker = idle.get()
    try:
        return worker.call(_JOB + f"{fn.__module__}:{fn.__name__}\n".encode() + job, progress)
    except (EOFError, OSError):  # the worker died: a new one takes its place
        worker.close()
        worker = _Worker(_PRELOAD)
        return fn(job, progress)
    finally:
        idle.put(worker)


def _error(e: dict) -> Exception:
    """The worker's exception, rebuilt: a keyed Problem as itself (the reader gets its words), the rest by name."""
    if e.get("problem"):
        return Problem(e["problem"], **e["fields"])
    return RuntimeError(f"{e['type']}: {e['message']}")


def _job(message: bytes, answers) -> bytes:
    """In the worker: one job; its progress goes up as it runs; then its answer or its error."""
    target, job = message[1:].split(b"\n", 1)
    module, name = target.decode().split(":")
    try:
        report = lambda *values: _send(answers, _PROGRESS + json.dumps(values).encode())  # noqa: E731
        return _DONE + getattr(importlib.import_module(module), name)(job, report)
    except Problem as e:
        return _ERROR + json.dumps({"problem": e.key, "fields": e.fields}, default=str).encode()
    except Exception as e:  # the caller raises it, as if the job had run there
        return _ERROR + json.dumps({"type": type(e).__name__, "message": str(e)[:500]}).encode()
    finally:
        memory.release_free_memory()  # a job's buffers go back to the system before the next


def _serve(preload: list[str]) -> None:
    answers = os.fdopen(os.dup(1), "wb")  # the answers' own pipe: anything a library prints goes to stderr
    os.dup2(2, 1)
    memory.limit_arenas(1)  # one thread: one malloc arena
    modules = [importlib.import_module(module) for module in preload]
    torch.set_num_threads(1)  # after the imports (runtime/device.py sets its own): one core per worker
    for module in modules:  # a module's one-time set-up (its first training grows the heap ~80 MB) before any job
        getattr(module, "warm_worker", lambda: None)()
    memory.release_free_memory()
    jobs = sys.stdin.buffer
    while True:
        try:
            job = _receive(jobs)
        except EOFError:
            return  # the server closed our stdin: it has ended
        _send(answers, _job(job, answers))


if __name__ == "__main__":
    _serve(sys.argv[1:])
