"""ZeroGPU: with Hugging Face's `spaces` package the model-heavy handlers go through `spaces.GPU`; without it
nothing changes. A fake `spaces` module (no network, no GPU) stands in for the real one."""
import importlib.util
import inspect
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from explainer.runtime import device as runtime

ROOT = Path(__file__).resolve().parents[2]

# Mimics the real decorator's shape: spaces.GPU(fn, duration=...), generator functions stay generator functions.
FAKE_SPACES = textwrap.dedent('''
    import functools, inspect
    calls = []

    def GPU(task=None, *, duration=None):
        if task is None:
            return lambda fn: GPU(fn, duration=duration)
        if inspect.isgeneratorfunction(task):
            @functools.wraps(task)
            def wrapper(*args, **kwargs):
                calls.append(task.__name__)
                yield from task(*args, **kwargs)
        else:
            @functools.wraps(task)
            def wrapper(*args, **kwargs):
                calls.append(task.__name__)
                return task(*args, **kwargs)
        wrapper.gpu_duration = duration
        return wrapper
''')


@pytest.fixture
def fake_spaces(tmp_path) -> types.ModuleType:
    (tmp_path / "spaces.py").write_text(FAKE_SPACES)
    spec = importlib.util.spec_from_file_location("spaces", tmp_path / "spaces.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_with_spaces_a_handler_is_lent_a_gpu_and_still_answers(monkeypatch, fake_spaces):
    fake = fake_spaces
    monkeypatch.setitem(sys.modules, "spaces", fake)

    def double(x):
        return 2 * x

    wrapped = runtime.on_gpu(double)
    assert wrapped is not double and wrapped.gpu_duration == runtime.GPU_SECONDS
    assert wrapped(21) == 42 and fake.calls == ["double"]


def test_without_spaces_nothing_changes(monkeypatch):
    monkeypatch.setitem(sys.modules, "spaces", None)  # `import spaces` now raises ImportError

    def double(x):
        return 2 * x

    assert runtime.on_gpu(double) is double


@pytest.mark.weights
def test_the_app_wraps_its_model_calls_and_only_those(tmp_path):
    """In a fresh interpreter with the fake package on the path: runtime imports it first thing, every
    model-heavy handler goes through spaces.GPU, the forward tab's numpy handlers do not, a streamed handler
    still streams, and a GAN sample really runs through the GPU wrapper."""
    (tmp_path / "spaces.py").write_text(FAKE_SPACES)
    probe = textwrap.dedent('''
        import inspect, sys
        import explainer.runtime.device
        assert "spaces" in sys.modules, "runtime did not import spaces"
        from explainer.ui.tabs import autoencoder as autoencoder_tab, compare as compare_tab, flow as flow_tab
        from explainer.ui.tabs import forward as forward_tab, gan as gan_tab, reverse as reverse_tab, tour as tour_tab
        def on_gpu(handler):  # through the wrappers above it (gr.cache, friendly) to the spaces.GPU one
            while handler is not None and not hasattr(handler, "gpu_duration"):
                handler = getattr(handler, "__wrapped__", None)
            return handler is not None
        heavy = [gan_tab.sample_grid, gan_tab.walk, gan_tab.collapse, autoencoder_tab.decode, autoencoder_tab.prior,
                 autoencoder_tab.encode_sample, reverse_tab.run, reverse_tab.step, reverse_tab.sdedit, flow_tab.run,
                 flow_tab.paths, compare_tab.compare, tour_tab.reverse, tour_tab.flow]
        light = [forward_tab.step, forward_tab.play, gan_tab.story, tour_tab.gan]  # no network, or already wrapped inside
        assert all(on_gpu(h) for h in heavy), [h.__name__ for h in heavy if not on_gpu(h)]
        assert not any(on_gpu(h) for h in light), [h.__name__ for h in light if on_gpu(h)]
        assert all(inspect.isgeneratorfunction(h) for h in (reverse_tab.run, flow_tab.run, compare_tab.compare))
        import spaces
        figure, info = tour_tab.gan(3)
        assert figure.ndim == 3 and spaces.calls == ["sample_grid"], spaces.calls
        print("ok")
    ''')
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-3000:]


def test_friendly_still_translates_errors_from_a_gpu_handler(monkeypatch, fake_spaces):
    import gradio as gr

    from explainer.ui.validation import as_seed, friendly

    monkeypatch.setitem(sys.modules, "spaces", fake_spaces)

    @friendly
    @runtime.on_gpu
    def handler(seed):
        return as_seed(seed)

    assert inspect.unwrap(handler) is not handler
    with pytest.raises(gr.Error, match="Seed must be between 0"):
        handler(-1)
