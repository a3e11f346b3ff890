"""How the app serves a classroom: which handlers wait for which, and which pictures are computed only once.

Two lanes (Gradio concurrency groups):
- MODEL_LANE: every handler that runs a network or a sampler. One at a time, because torch already uses both
  cores of a small Space and two model calls at once only thrash them (and each takes twice as long).
- LIGHT_LANE: redraws of what is already computed (a scrubbed frame, a slider's picture, a latent decode of two
  numbers, a chart), which take milliseconds: they never wait behind a diffusion run.
- PLAY_LANE: the 2-D lab's playground (ui/lab_playground.py): each learner's own tiny MLP training, streamed for
  as long as Play runs, on one torch thread. In the model lane one Play would hold every other model call for
  minutes; here two run side by side, one core each, and nothing else waits for them.
A handler joins the light lane by being marked `@light`, the playground's by `@playground`; anything unmarked
runs in the model lane.

`cached` wraps a handler in `gr.cache`: a result fixed by its inputs (a seeded grid, a walk, a finished run) is
computed once and served to everyone who asks the same, in the same language, without entering the queue at
all (Gradio probes the cache before queueing). A class following the teacher's link gets the teacher's picture
at once. Streamed runs are replayed from the cache frame by frame.
"""
from __future__ import annotations

import functools
import time

import gradio as gr
from gradio import caching as gradio_caching

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
    """Mark a handler of the 2-D lab's playground (PLAY_LANE)."""
    fn.lane = PLAY_LANE
    return fn


def _language(request) -> str:
    return i18n.lang_of(request) if request is not None else i18n.current()


def cached(fn=None, *, max_size: int = 64, max_memory: str = "96mb", files: bool = False):
    """`gr.cache` keyed on the reader's inputs and language (and, with `files`, on the file epoch above).
    Put it outermost (over `friendly`): Gradio looks for the cache on the function it was given."""

    def key(kwargs: dict):
        inputs = tuple((k, v) for k, v in kwargs.items() if k not in _NOT_INPUTS)
        epoch = int(time.time() // _FILE_EPOCH_S) if files else 0
        return inputs, _language(kwargs.get("request")), epoch

    def wrap(f):  # the wrapper's functools.wraps keeps f's `lane` mark too
        return gr.cache(f, key=key, max_size=max_size, max_memory=max_memory)

    return wrap(fn) if fn is not None else wrap


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


def schedule(demo: gr.Blocks) -> dict[str, int]:
    """Put every queued handler of `demo` into its lane and make its cache probes safe; call it last, after
    every other wrapper of process_api. Returns how many handlers went where (for tests and logs)."""
    _probe_safe(demo)
    counts = {lane: 0 for lane in LIMITS}
    for block_fn in demo.fns.values():
        if block_fn.fn is None or not block_fn.queue:
            continue  # a browser-only action, or one that bypasses the queue
        lane = lane_of(block_fn.fn)
        block_fn.concurrency_id = lane
        block_fn.concurrency_limit = LIMITS[lane]
        counts[lane] += 1
    return counts
