"""Two languages: every word exists in English and Russian, and the server answers in the reader's language.

The static words travel to the browser as gr.I18n keys (checked in the browser by test_browser_i18n.py);
what handlers produce is rendered on the server from the request's cookie / Accept-Language header."""
import ast
import re
from pathlib import Path

import gradio as gr
import numpy as np
import pytest

from tests.conftest import english_words, serve_tab
from explainer.runtime.problems import Problem
from explainer.ui.words.ru import common as common_ru
from explainer.ui import i18n, validation

UI = Path(__file__).resolve().parents[2] / "explainer" / "ui"
RU = {"Accept-Language": "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"}
def all_words() -> list[i18n.Words]:
    from explainer.ui.tabs import compare as compare_tab
    from explainer.ui.tabs import flow as flow_tab
    from explainer.ui.tabs import lab as lab_tab
    from explainer.ui.tabs import reverse as reverse_tab
    from explainer.ui.tabs import tour as tour_tab
    from explainer.ui import all_tabs, links  # noqa: F401

    all_tabs()
    return i18n.ALL_WORDS


def test_every_tab_module_has_words_in_both_languages():
    prefixes = {w.prefix for w in all_words()}
    assert {"app", "common", "gan", "ae", "forward", "reverse", "flow", "compare", "lab", "tour", "links"} <= prefixes


@pytest.mark.parametrize("words", all_words(), ids=lambda w: w.prefix)
def test_every_key_has_an_idiomatic_russian_twin(words):
    en, ru = words.by_lang["en"], words.by_lang["ru"]
    assert set(en) == set(ru), f"missing in ru: {set(en) - set(ru)}; only in ru: {set(ru) - set(en)}"
    for name in en:
        assert i18n.has_cyrillic(ru[name]), f"{words.prefix}.{name} is not translated: {ru[name]!r}"
        if "$" not in en[name]:  # LaTeX braces are not format fields
            assert i18n.placeholders(en[name]) == i18n.placeholders(ru[name]), f"{words.prefix}.{name}: fields differ"
        assert english_words(ru[name]) == [], f"{words.prefix}.{name} keeps English: {english_words(ru[name])}"


def test_every_validated_field_name_has_a_russian_name():
    used = set()
    for path in UI.rglob("*.py"):
        used |= set(re.findall(r'as_(?:int|float|choice)\([^"\n]*?"([^"]+)"', path.read_text()))
    used.add("Seed")
    missing = used - set(common_ru.FIELDS_RU) - {"eta", "t", "z1", "z2"}  # symbols read the same in Russian
    assert not missing, f"add to FIELDS_RU: {sorted(missing)}"
    assert all(i18n.has_cyrillic(v) for v in common_ru.FIELDS_RU.values())


@pytest.mark.parametrize("headers, lang", [
    ({}, "en"),
    ({"accept-language": "ru"}, "ru"),
    ({"accept-language": "ru-RU,ru;q=0.9,en;q=0.8"}, "ru"),
    ({"accept-language": "en-US,en;q=0.9,ru;q=0.8"}, "en"),
    ({"accept-language": "de-DE,ru;q=0.5"}, "ru"),  # the best language we speak
    ({"accept-language": "fr;q=0.9,ru;q=0.1,en;q=0.5"}, "en"),
    ({"accept-language": ";;q=abc,,"}, "en"),
    ({"accept-language": "ru", "cookie": "explainer_lang=en"}, "en"),  # the page's own choice wins
    ({"cookie": "other=1; explainer_lang=ru"}, "ru"),
    ({"cookie": "explainer_lang=xx", "accept-language": "ru"}, "en"),
    ({"cookie": "\x00broken;;=", "accept-language": "ru"}, "ru"),
])
def test_language_of_a_request(headers, lang):
    class Request:
        pass

    r = Request()
    r.headers = headers
    assert i18n.lang_of(r) == lang


def test_no_request_means_english():
    assert i18n.lang_of(None) == "en"


def _request(accept_language: str):
    from starlette.requests import Request

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"accept-language", accept_language.encode())]}
    return gr.Request(Request(scope))


def test_friendly_errors_speak_the_request_language():
    @validation.friendly
    def count(n):
        return validation.as_int(n, "Number of images", 1, 64)

    with pytest.raises(gr.Error, match="Number of images must be between 1 and 64, got 100"):
        count(100)
    with pytest.raises(gr.Error, match="«Сколько картинок»: допустимы значения от 1 до 64, а пришло 100"):
        count(100, _request("ru"))
    with pytest.raises(gr.Error, match="Number of images must be a whole number"):
        count("abc", _request("en-GB"))


def test_friendly_gives_the_language_to_generators_and_nested_handlers():
    words = i18n.Words("test_nested", type("EN", (), {"HI": "hello {x}"}), type("RU", (), {"HI": "привет {x}"}))
    i18n.ALL_WORDS.remove(words)

    @validation.friendly
    def inner():
        return words.text("HI", x=1)

    @validation.friendly
    def outer():
        yield inner()
        yield words.text("HI", x=2)

    assert list(outer(_request("ru"))) == ["привет 1", "привет 2"]
    assert list(outer()) == ["hello 1", "hello 2"]


def test_a_domain_problem_is_said_in_the_readers_language():
    from explainer.data.picture_input import check_size
    from explainer.maths.diffusion import make_schedule

    with pytest.raises(Problem) as refused:
        check_size(9000, 9000)
    assert validation.said(refused.value, "ru") == "В картинке 9000×9000 пикселей, а принимаются не больше 40 мегапикселей."
    assert validation.said(refused.value, "en") == (
        "The picture is 9000x9000 pixels; pictures up to 40 megapixels are accepted.")

    schedule = validation.friendly(make_schedule)
    with pytest.raises(gr.Error, match="расписание шума должно быть одним из: linear, cosine, flow, а пришло 'quadratic'"):
        schedule("quadratic", request=_request("ru"))
    with pytest.raises(gr.Error, match="schedule must be one of linear, cosine, flow, got 'quadratic'"):
        schedule("quadratic")


def test_only_gradios_own_refusals_are_read_back_out_of_english():
    assert validation.gradio_refusal("Value 70 is greater than maximum value 64.", "ru") == (
        "Значение 70 больше допустимого максимума 64.")
    assert validation.gradio_refusal("Value 70 is greater than maximum value 64.", "en") == (
        "Value 70 is greater than maximum value 64.")
    assert validation.gradio_refusal("Something new and unlisted.", "ru") == "Something new and unlisted."


DOMAIN = [Path(__file__).resolve().parents[2] / "explainer" / name
          for name in ("runtime", "data", "maths", "models", "evaluation", "draw", "lessons")]


KEYED = {"Problem", "WrongType"}


def _domain_trees():
    for package in DOMAIN:
        for path in sorted(package.rglob("*.py")):
            yield path, ast.parse(path.read_text(), str(path))


def _is_text(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def test_the_domain_raises_keys_not_sentences():
    """`friendly` shows a ValueError's or TypeError's text to the reader: below the UI those are Problems."""
    sentences = []
    for path, tree in _domain_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
                name = getattr(call.func, "id", getattr(call.func, "attr", ""))
                if name in ("ValueError", "TypeError") and any(_is_text(a) for a in call.args):
                    sentences.append(f"{path.name}:{node.lineno} {name}")
                if name in KEYED and call.args and isinstance(call.args[0], ast.JoinedStr):
                    sentences.append(f"{path.name}:{node.lineno} Problem with a built key")
    assert sentences == []


def test_every_problem_key_has_its_words_and_every_word_a_raise():
    from explainer.ui import problems
    from explainer.ui.words.en import problems as en
    from explainer.ui.words.ru import problems as ru

    en_keys = {k for k in vars(en) if k.isupper()}
    assert en_keys == {k for k in vars(ru) if k.isupper()}
    for key in en_keys:
        assert i18n.placeholders(getattr(en, key)) == i18n.placeholders(getattr(ru, key)), key
    used = set()
    for _, tree in _domain_trees():
        used |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in en_keys}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in KEYED and node.args:
                key = node.args[0]
                if isinstance(key, ast.Constant):
                    assert key.value in en_keys, f"no words for {key.value}"
    assert en_keys - used == set(), "words for keys nothing raises"
    assert problems.WORDS.get("UPLOAD_GONE", "ru") == ru.UPLOAD_GONE


@pytest.mark.parametrize("bad", [None, {"background": None, "layers": [], "composite": None}, np.zeros((4, 4, 5)),
                                 np.zeros((0, 0)), np.full((8, 8), np.nan), np.zeros((8, 8)), "/no/such/picture.png"],
                         ids=["none", "blank canvas", "5 channels", "0 pixels", "nan", "flat", "missing file"])
def test_every_refusal_of_a_drawing_or_picture_is_translated(bad):
    from explainer.data.digitize import digitize

    with pytest.raises(Problem) as refused:
        digitize(bad)
    assert i18n.has_cyrillic(validation.said(refused.value, "ru")), refused.value


def test_localize_swaps_domain_phrases_but_never_paths():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=["0", "not a digit"], y=[1, 2]))
    fig.update_layout(title="What the judge sees")
    out = i18n.localize(("7 (98%) · not a digit (60%)", "/tmp/images/noise.gif", fig), "ru")
    assert out[0] == "7 (98%) · не цифра (60%)"
    assert out[1] == "/tmp/images/noise.gif"
    assert list(out[2].data[0].x) == ["0", "не цифра"] and out[2].layout.title.text == "Что видит судья"
    assert i18n.localize("not a digit", "en") == "not a digit"


@pytest.fixture(scope="module")
def forward_clients():
    from gradio_client import Client

    from explainer.ui.tabs import forward as forward_tab

    for en in serve_tab(forward_tab.build):
        yield en, Client(en.src, verbose=False, headers=RU)


@pytest.mark.api
def test_forward_handlers_answer_in_russian_when_the_browser_asks(forward_clients):
    en, ru = forward_clients
    _, _, _, info = ru.predict(None, 7, "cosine", 0.4, 0, api_name="/forward_step")
    assert "шаг 400 из 1000" in info and english_words(info) == [], info
    _, _, info = ru.predict(None, 7, "flow", 0.4, 0, api_name="/forward_compare")
    assert "распределение одно" in info and english_words(info) == [], info
    from explainer.ui.tabs import forward as forward_tab

    figure, info = ru.predict("flow", 0, 2, api_name="/forward_batch")
    assert "скорость ε − x₀" in info and figure.endswith(".png")
    with i18n.speaking("ru"):
        assert forward_tab.W.text("BATCH_CAPTION", label=3, k=10, t=0.01).startswith("цифра ")  # drawn in the figure
    with pytest.raises(Exception, match="«Сид»: допустимы значения от 0 до"):
        ru.predict(None, 7, "linear", 0.5, -3, api_name="/forward_step")
    # Gradio's own checks, made before any handler runs, speak Russian too; English clients keep English
    with pytest.raises(Exception, match="Значение 5.* больше допустимого максимума 1"):
        ru.predict(None, 7, "linear", 5, 0, api_name="/forward_step")
    with pytest.raises(Exception, match="Значения .*quadratic.* нет среди вариантов"):
        ru.predict(None, 7, "quadratic", 0.5, 0, api_name="/forward_step")
    with pytest.raises(Exception, match="greater than maximum value 1"):
        en.predict(None, 7, "linear", 5, 0, api_name="/forward_step")
    # API clients send no Accept-Language: English, as before
    _, _, _, info = en.predict(None, 7, "cosine", 0.4, 0, api_name="/forward_step")
    assert "(step 400 of 1000)" in info


@pytest.mark.api
def test_schedule_values_stay_english_for_api_clients(forward_clients):
    en, _ = forward_clients
    params = en.view_api(return_format="dict", print_info=False)["named_endpoints"]["/forward_step"]["parameters"]
    kind = next(p for p in params if p["parameter_name"] == "kind")
    assert kind["type"]["enum"] == ["linear", "cosine", "flow"]


@pytest.mark.api
@pytest.mark.weights
def test_gan_handlers_answer_in_russian():
    from gradio_client import Client

    from explainer.evaluation.verdicts import Verdicts
    from explainer.lessons.gan import GanSample
    from explainer.ui.tabs import gan as gan_tab

    for en in serve_tab(gan_tab.build):
        ru = Client(en.src, verbose=False, headers=RU)
        figure, info = ru.predict(5, 6, api_name="/gan_sample")
        assert "один проход генератора" in info and english_words(info) == [], info
        with i18n.speaking("ru"):  # the captions drawn into that figure
            drawn = gan_tab.captions(gan_tab.draw(5, 6))
        assert all(re.fullmatch(r"(\d|не цифра) \(\d+%\)", a) and re.fullmatch(r"D \d\.\d\d", b) for a, b in drawn)
        junk = GanSample(np.zeros((1, 28, 28), np.uint8), np.array([0.3]), Verdicts(np.array([10]), np.array([0.97])), 1.0)
        with i18n.speaking("ru"):
            assert gan_tab.captions(junk) == [("не цифра (97%)", "D 0.30")]
        out = ru.predict(0, api_name="/gan_collapse")
        assert "Здоровый GAN" in out[2] and "Схлопнувшийся GAN" in out[5]
        assert "энтропия" in out[1]["plot"] and "метка судьи" in out[1]["plot"]
        text = ru.predict(1, 2, 4, "linear (lerp)", api_name="/gan_walk")[-1]
        assert text.startswith("Что видит судья по дороге")
        # the page's choice (cookie) beats the header: a reader who switched to English gets English
        en_by_cookie = Client(en.src, verbose=False, headers=RU | {"Cookie": "explainer_lang=en"})
        assert "one forward pass" in en_by_cookie.predict(5, 6, api_name="/gan_sample")[1]


@pytest.mark.weights
def test_every_first_picture_with_words_reaches_a_russian_reader_in_russian():
    """A first result (shown before any click) whose words differ by language, drawn into a picture or a plot's
    titles, is handed to the page per language (Words.pin, on_load_in_language), not only in English."""
    from explainer.ui import build_demo, first_results

    build_demo()
    assert first_results.unlocalized_firsts() == []
