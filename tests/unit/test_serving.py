"""ui/serving.py: the model and light lanes, answers computed once (gr.cache) per inputs and language, and a
refused input while Gradio probes the cache still reaching the reader as one line (not an HTTP 500)."""
import time

import gradio as gr
import pytest

from tests.conftest import serve_tab
from explainer.ui import i18n, serving
from explainer.ui.validation import as_int, friendly

CALLS: list = []


@serving.cached
@friendly
def slow_square(n):
    CALLS.append(n)
    time.sleep(0.3)
    return f"{as_int(n, 'Number', 0, 100) ** 2}" + (" (ru)" if i18n.current() == "ru" else "")


@serving.light
@friendly
def echo(text):
    return text


@serving.cached
@friendly
def counting_run(n):
    """A streamed run: three frames of a counter, the second output (the "recording") only at the end."""
    CALLS.append(("run", n))
    for k in range(1, 4):
        time.sleep(0.1)
        yield f"frame {k} of {as_int(n, 'Number', 0, 100)}", (gr.skip() if k < 3 else f"recorded {n}")


def _build():
    with gr.Row():
        n, text = gr.Slider(0, 100, value=3, step=1), gr.Textbox("a")
        out, back = gr.Textbox(), gr.Textbox()
    gr.Button("square").click(slow_square, n, out, api_name="square")
    gr.Button("echo").click(echo, text, back, api_name="echo")
    frame, recording = gr.Textbox(), gr.Textbox()
    gr.Button("run").click(counting_run, n, [frame, recording], api_name="run")


def test_lanes_follow_the_marks():
    with gr.Blocks() as demo:
        _build()
    assert serving.schedule(demo) == {serving.MODEL_LANE: 2, serving.LIGHT_LANE: 1, serving.PLAY_LANE: 0}
    lanes = {fn.api_name: (fn.concurrency_id, fn.concurrency_limit) for fn in demo.fns.values()}
    assert lanes == {"square": (serving.MODEL_LANE, serving.MODEL_LIMIT), "echo": (serving.LIGHT_LANE, serving.LIGHT_LIMIT),
                     "run": (serving.MODEL_LANE, serving.MODEL_LIMIT)}


def test_the_app_puts_its_model_calls_in_one_lane_redraws_in_another_and_the_lab_in_its_own():
    from explainer.ui.tabs import autoencoder, flow, forward, gan, reverse

    for handler in (gan.sample_grid, gan.walk, gan.collapse, reverse.run, flow.run, autoencoder.prior):
        assert serving.lane_of(handler) == serving.MODEL_LANE, handler.__name__
    for handler in (gan.story, reverse.scrub, flow.scrub, forward.step, autoencoder.decode):
        assert serving.lane_of(handler) == serving.LIGHT_LANE, handler.__name__
    from explainer.ui import lab_guidance, lab_playground
    from explainer.ui.tabs import lab

    for handler in (lab.train, lab.paths, lab.reflow, lab.field, lab.gan, lab_playground.play, lab_guidance.guidance):
        assert serving.lane_of(handler) == serving.PLAY_LANE, handler.__name__  # one-thread MLPs: beside the models


@pytest.mark.api
def test_a_cached_answer_is_computed_once_per_inputs_and_language():
    from gradio_client import Client

    CALLS.clear()
    for client in serve_tab(_build):
        assert client.predict(7, api_name="/square") == "49"
        started = time.perf_counter()
        assert client.predict(7, api_name="/square") == "49"  # from the cache, without the handler's 0.3 s
        assert time.perf_counter() - started < 0.3 and CALLS == [7]
        ru = Client(client.src, verbose=False, headers={"Accept-Language": "ru"})
        assert ru.predict(7, api_name="/square") == "49 (ru)" and CALLS == [7, 7]  # another language: its own answer
        assert client.predict(8, api_name="/square") == "64" and CALLS == [7, 7, 8]


@pytest.mark.api
def test_a_refused_input_is_one_line_even_when_the_cache_is_probed():
    from gradio_client.exceptions import AppError

    for client in serve_tab(_build):
        # Gradio's own range check runs while it probes the cache: without serving's guard an HTTP 500
        with pytest.raises(AppError, match="greater than maximum value 100"):
            client.predict(1000, api_name="/square")
        assert client.predict(2, api_name="/square") == "4"  # and the server keeps serving


def test_a_streamed_runs_end_is_kept_without_its_frames():
    """A repeat of a streamed run gets what its end showed (the newest value of every output) in one message."""
    CALLS.clear()
    first = list(counting_run(5))
    assert [f for f, _ in first] == ["frame 1 of 5", "frame 2 of 5", "frame 3 of 5"] and CALLS == [("run", 5)]
    again = list(counting_run(5))
    assert again == [("frame 3 of 5", "recorded 5")] and CALLS == [("run", 5)]
    assert len(list(counting_run(6))) == 3 and CALLS == [("run", 5), ("run", 6)]  # other inputs: computed


@pytest.mark.api
def test_a_repeated_stream_is_answered_from_the_cache_through_the_server():
    CALLS.clear()
    for client in serve_tab(_build):
        job = client.submit(9, api_name="/run")
        assert job.result() == ("frame 3 of 9", "recorded 9") and len(job.outputs()) == 3  # streamed, frame by frame
        started = time.perf_counter()
        again = client.submit(9, api_name="/run")
        assert again.result() == ("frame 3 of 9", "recorded 9")
        assert time.perf_counter() - started < 0.3 and len(again.outputs()) == 1 and CALLS == [("run", 9)]


def test_frames_thin_out_while_others_wait(monkeypatch):
    from types import SimpleNamespace

    from explainer.lessons.runs import STREAM_INTERVAL_S

    def with_waiting(k):
        lanes = {serving.MODEL_LANE: SimpleNamespace(queue=[object()] * k)}
        monkeypatch.setattr(serving, "_QUEUES", [SimpleNamespace(event_queue_per_concurrency_id=lanes)])
        return serving.frame_interval()

    monkeypatch.setattr(serving, "_QUEUES", [])
    assert serving.waiting() == 0 and serving.frame_interval() == STREAM_INTERVAL_S  # not served: every frame
    assert with_waiting(0) == STREAM_INTERVAL_S
    assert with_waiting(4) == pytest.approx(5 * STREAM_INTERVAL_S)  # 4 waiting: a fifth of the frames
    assert with_waiting(500) == serving.MAX_FRAME_S  # a whole class waiting: still a frame every 2 s
