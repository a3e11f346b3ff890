"""How the app serves a classroom: which handlers wait for which, and which pictures are computed only once.

Three lanes (Gradio concurrency groups):
- MODEL_LANE: every handler that runs a network or a sampler. One at a time, because torch already uses both
  cores of a small Space and two model calls at once only thrash them (and each takes twice as long).
- LIGHT_LANE: redraws of what is already computed (a scrubbed frame, a slider's picture, a latent decode of two
  numbers, a chart), which take milliseconds: they never wait behind a diffusion run.
- PLAY_LANE: the 2-D lab (tabs/lab.py, ui/lab_playground.py, ui/lab_guidance.py): tiny MLPs trained and sampled
  on one torch thread each, for seconds (a training, a playground's Play). Under 60 students
  (benchmarks/classroom.py, the server sampled with py-spy) the lab's trainings were a third of the server's
  CPU time and took 8-10 s each; in the model lane each held every other model call that long. Here two run
  side by side and no model call waits for them; the served app sends the trainings themselves to a worker
  process (runtime/workers.py, started by app.py), so their Python holds none of the server's interpreter lock.
A handler joins the light lane by being marked `@light`, the playground's by `@playground`; anything unmarked
runs in the model lane.

`cached` wraps a handler in `gr.cache`: a result fixed by its inputs (a seeded grid, a walk, a finished run) is
computed once and served to everyone who asks the same, in the same language, without entering the queue at
all (Gradio probes the cache before queueing). A class following the teacher's link gets the teacher's picture
at once. A streamed run's repeat gets its end in one message, not the frames again (`_cached_stream`).
"""
from __future__ import annotations

import copy
import functools
import inspect
import time

import gradio as gr
from gradio import caching as gradio_caching

from explainer.lessons.runs import STREAM_INTERVAL_S
from explainer.ui import i18n
from explainer.ui.files import MAX_AGE_S

MODEL_LANE, MODEL_LIMIT = "model", 1
LIGHT_LANE, LIGHT_LIMIT = "light", 2
PLAY_LANE, PLAY_LIMIT = "playground", 2
LIMITS = {MODEL_LANE: MODEL_LIMIT, LIGHT_LANE: LIGHT_LIMIT, PLAY_LANE: PLAY_LIMIT}
# Arguments Gradio injects that are not part of what the reader asked for.
_NOT_INPUTS = {"request", "progress"}
# Results that name a file (GIFs) are kept a shorter while than the file lives (ui/files.py sweeps files older
# than MAX_AGE_S): the key changes every half of that, so a cached answer never points at a swept file.
_FILE_EPOCH_S = MAX_AGE_S / 2


def light(fn):
    """Mark a handler as a light redraw (LIGHT_LANE); returns it unchanged otherwise."""
    fn.lane = LIGHT_LANE
    return fn


def playground(fn):
    """Mark a handler of the 2-D lab (PLAY_LANE): tiny MLPs on one torch thread."""
    fn.lane = PLAY_LANE
    return fn


def _language(request) -> str:
    return i18n.lang_of(request) if request is not None else i18n.current()


def cached(fn=None, *, max_size: int = 32, max_memory: str = "32mb", files: bool = False):
    """`gr.cache` keyed on the reader's inputs and language (and, with `files`, on the file epoch above).
    Put it outermost (over `friendly`): Gradio looks for the cache on the function it was given."""

    def key(kwargs: dict):
        inputs = tuple((k, v) for k, v in kwargs.items() if k not in _NOT_INPUTS)
        epoch = int(time.time() // _FILE_EPOCH_S) if files else 0
        return inputs, _language(kwargs.get("request")), epoch

    def wrap(f):  # the wrapper's functools.wraps keeps f's `lane` mark too
        if inspect.isgeneratorfunction(inspect.unwrap(f)) or inspect.isgeneratorfunction(f):
            return _cached_stream(f, key, max_size, max_memory)
        return gr.cache(f, key=key, max_size=max_size, max_memory=max_memory)

    return wrap(fn) if fn is not None else wrap


def _is_skip(value) -> bool:
    return isinstance(value, dict) and value == {"__type__": "update"}  # what gr.skip() returns


def _final_state(last, value):
    """Fold one yield of a stream into what the reader sees at its end: per output, the newest value that is
    not gr.skip()."""
    if last is None or not isinstance(value, tuple) or not isinstance(last, tuple) or len(last) != len(value):
        return value
    return tuple(old if _is_skip(new) else new for old, new in zip(last, value))


def _cached_stream(f, key, max_size: int, max_memory: str):
    """`gr.cache` for a streamed run, keeping only what its end shows. gr.cache would replay every frame, and
    each replayed frame costs the server its pictures again: measured with 60 students
    (benchmarks/classroom.py), a replayed reverse run took 11.5 s at p50 and held the CPU from the runs that
    had to be computed. A repeat now gets the finished picture in one message; Gradio probes it before
    queueing, like any `gr.cache` (the `cache` attribute is how it knows)."""
    store = gradio_caching._make_store(max_size, max_memory, per_session=False)
    signature = inspect.signature(f)

    @functools.wraps(f)
    def stream(*args, **kwargs):
        key_hash = gradio_caching.cache_hash(key(gradio_caching._normalize_kwargs(signature, args, kwargs)))
        entry = store.get(key_hash)
        if entry is not None:
            yield entry["end"]
            return
        if _probing():
            raise gradio_caching.CacheMissError()
        end = None
        for value in f(*args, **kwargs):
            end = _final_state(end, value)
            yield value
        if end is not None:
            store.put(key_hash, end=copy.deepcopy(end))

    stream.cache = store
    return stream


def lane_of(fn) -> str:
    """The lane of a registered handler, looking through the wrappers (cache, `friendly`) to the marked one."""
    while fn is not None:
        if hasattr(fn, "lane"):
            return fn.lane
        fn = getattr(fn, "__wrapped__", None)
    return MODEL_LANE


def _probing() -> bool:
    flag = getattr(gradio_caching, "_probe_mode_active", None)  # Gradio's own switch for "only look in the cache"
    return bool(flag and flag.get())


def _probe_safe(demo: gr.Blocks) -> None:
    """Before queueing a request for a cached handler, Gradio runs it once in probe mode to look for a cached
    answer, inputs checked and all. A refused input (a slider out of range) then escapes as a server error
    (HTTP 500) instead of the one-line refusal. Here any failure while probing counts as "not cached": the
    request is queued as usual and refused there, in the reader's language."""
    run = demo.process_api

    @functools.wraps(run)
    async def process_api(*args, **kwargs):
        try:
            return await run(*args, **kwargs)
        except gradio_caching.CacheMissError:
            raise
        except Exception:
            if _probing():
                raise gradio_caching.CacheMissError() from None
            raise

    demo.process_api = process_api


_QUEUES: list = []  # the served demo's queue, once schedule() has seen it
MAX_FRAME_S = 2.0  # a streamed run's frames: every STREAM_INTERVAL_S alone, thinner while others wait


def waiting(lane: str = MODEL_LANE) -> int:
    """How many requests wait for `lane` right now (0 outside a served app)."""
    lanes = getattr(_QUEUES[0], "event_queue_per_concurrency_id", {}) if _QUEUES else {}
    queue = lanes.get(lane)
    return len(queue.queue) if queue is not None else 0


def frame_interval() -> float:
    """Seconds between a streamed run's frames: every frame costs the server its pictures and holds the model
    lane, so with k requests waiting a run sends 1/(k+1) of its frames (at least one every MAX_FRAME_S)."""
    return min(MAX_FRAME_S, STREAM_INTERVAL_S * (1 + waiting()))


def schedule(demo: gr.Blocks) -> dict[str, int]:
    """Put every queued handler of `demo` into its lane and make its cache probes safe; call it last, after
    every other wrapper of process_api. Returns how many handlers went where (for tests and logs)."""
    _probe_safe(demo)
    _QUEUES[:] = [demo._queue]
    counts = {lane: 0 for lane in LIMITS}
    for block_fn in demo.fns.values():
        if block_fn.fn is None or not block_fn.queue:
            continue  # a browser-only action, or one that bypasses the queue
        lane = lane_of(block_fn.fn)
        block_fn.concurrency_id = lane
        block_fn.concurrency_limit = LIMITS[lane]
        counts[lane] += 1
    return counts
