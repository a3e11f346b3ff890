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


def _build():
    with gr.Row():
        n, text = gr.Slider(0, 100, value=3, step=1), gr.Textbox("a")
        out, back = gr.Textbox(), gr.Textbox()
    gr.Button("square").click(slow_square, n, out, api_name="square")
    gr.Button("echo").click(echo, text, back, api_name="echo")


def test_lanes_follow_the_marks():
    with gr.Blocks() as demo:
        _build()
    assert serving.schedule(demo) == {serving.MODEL_LANE: 1, serving.LIGHT_LANE: 1, serving.PLAY_LANE: 0}
    lanes = {fn.api_name: (fn.concurrency_id, fn.concurrency_limit) for fn in demo.fns.values()}
    assert lanes == {"square": (serving.MODEL_LANE, serving.MODEL_LIMIT), "echo": (serving.LIGHT_LANE, serving.LIGHT_LIMIT)}


def test_the_app_puts_its_model_calls_in_one_lane_and_redraws_in_the_other():
    from explainer.ui.tabs import autoencoder, flow, forward, gan, reverse

    for handler in (gan.sample_grid, gan.walk, gan.collapse, reverse.run, flow.run, autoencoder.prior):
        assert serving.lane_of(handler) == serving.MODEL_LANE, handler.__name__
    for handler in (gan.story, reverse.scrub, flow.scrub, forward.step, autoencoder.decode):
        assert serving.lane_of(handler) == serving.LIGHT_LANE, handler.__name__


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
