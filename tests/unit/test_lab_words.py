"""Words drawn into pictures and the 2-D lab's run-time words, in the reader's language.

The GIFs' captions and labels are pixels, out of reach of gr.I18n and i18n.localize: they need a font with Cyrillic
(bundled) and words from the UI. The lab's domain modules report kinds and numbers, and lab_tab words them, so a
Russian reader gets no English sentences, plot words, progress text or GIF labels. The models train for a few dozen
steps only (their quality does not matter here), in a cache of their own."""
from collections import OrderedDict

import plotly.graph_objects as go
import pytest

from explainer.draw import fonts
from explainer.draw import lab_plots
from explainer.lessons.lab import train as lab_train
from explainer.ui.tabs import lab as lab_tab
from explainer.ui import i18n
from tests.conftest import english_words

RING = "ring of 8 Gaussians"


def test_the_bundled_font_is_used_and_licensed():
    assert fonts.font(15).path == str(fonts.FONT_FILE)
    assert "Bitstream" in (fonts.FONT_FILE.parent / "LICENSE-DejaVu.txt").read_text()
    assert fonts.font(12).getbbox("Шаг")[2] > fonts.font(12).getbbox("Ш")[2] > 0


def _visible(value, out: list[str]) -> list[str]:
    """What a reader sees of a handler's output: strings, and figures' titles, axes, legends and categories."""
    if isinstance(value, str) and not value.startswith("/"):  # not a file path (the GIFs)
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _visible(v, out)
    elif isinstance(value, go.Figure):
        layout = value.layout
        out += [layout.title.text, layout.xaxis.title.text, layout.yaxis.title.text]
        out += [a.text for a in layout.annotations] + [trace.name for trace in value.data]
        out += [x for trace in value.data if isinstance(trace.x, tuple) for x in trace.x if isinstance(x, str)]
    return [s for s in out if s]


def _everything(lang: str, monkeypatch) -> tuple[list[str], list[str], list[str]]:
    """Every lab handler's visible words, the labels drawn into its GIFs, and its progress texts, in `lang`."""
    monkeypatch.setattr(lab_train, "STEPS", {"ddpm": 40, "flow": 40, "gan": 40, "reflow": 20})
    monkeypatch.setattr(lab_train, "_CACHE", OrderedDict())  # trained afresh (progress shows) and kept from other tests
    labels, progress = [], []
    draw = lab_plots.particle_frames

    def spy(data, tracks, *args, **kwargs):
        labels.extend(label for _, _, label in tracks)
        return draw(data, tracks, *args, **kwargs)

    monkeypatch.setattr(lab_plots, "particle_frames", spy)
    bar = lambda fraction, desc=None: progress.append(desc)  # noqa: E731
    with i18n.speaking(lang):
        outputs = [lab_tab.show_data(RING, 3, ""),
                   lab_tab.train(RING, 3, "", "flow matching", progress=bar),
                   lab_tab.train(RING, 3, "", "GAN", progress=bar),
                   lab_tab.paths(RING, 3, "", 20, "DDPM ancestral (noisy steps)", "Heun", 100, progress=bar),
                   lab_tab.reflow(RING, 3, "", 1, progress=bar),
                   lab_tab.field(RING, 3, "", "DDPM score", 0.5, progress=bar),
                   lab_tab.gan(RING, 3, "", progress=bar)]
    return _visible(outputs, []), labels, progress


def test_the_lab_speaks_english_to_english_readers(monkeypatch):
    words, labels, progress = _everything("en", monkeypatch)
    text = "\n".join(words)
    for phrase in ("Energy distance to the data", "training step", "DDPM ancestral, 20 steps", "Euler, 1 step |",
                   "mode 8", "even share"):
        assert phrase in text, phrase
    assert "flow matching, Heun, 20 steps" in labels and "GAN, training step 40" in labels
    assert any(p.startswith("training the flow matching: step") for p in progress)


def test_the_lab_speaks_russian_to_russian_readers(monkeypatch):
    words, labels, progress = _everything("ru", monkeypatch)
    for text in words + labels + progress:
        assert english_words(text) == [], text
    text = "\n".join(words)
    assert "Энергетическое расстояние до данных" in text and "шаг обучения" in text and "Эйлер, 1 шаг" in text
    assert "сопоставление потоков, Хойн, шагов: 20" in labels and "GAN, шаг обучения 40" in labels
    assert progress and all(p.startswith("обучаем ") for p in progress)
