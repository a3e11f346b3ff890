"""Shared by every tab: input validation with messages a person understands, the error wrapper, CSS.

Handlers take raw widget values (or whatever an API client sends) and must answer bad ones with a
one-line gr.Error, never a stack trace: `friendly` turns an Invalid (raised here) or a Problem (raised by
the domain, explainer/runtime/problems.py) into that, in the user's language (see i18n.py), and logs
anything unexpected while still answering with a short message.
"""
from __future__ import annotations

import functools
import inspect
import logging
import math
import re

import gradio as gr

from explainer.runtime.problems import Problem
from explainer.runtime.seeding import MAX_SEED
from explainer.ui.words.en import common as common_en
from explainer.ui.words.ru import common as common_ru
from explainer.ui import i18n
from explainer.ui.problems import render
from explainer.ui.words.ru.common import FIELDS_RU, GRADIO_REFUSALS_RU

log = logging.getLogger("explainer")
WORDS = i18n.Words("common", common_en, common_ru)

class Invalid(ValueError):
    """A bad input, as a message key (common_en) and its fields: str() is the English sentence; `friendly`
    renders it in the user's language. Field names are widget labels in English, translated by FIELDS."""

    def __init__(self, key: str, words: i18n.Words | None = None, **fields):
        self.key, self.words, self.fields = key, words or WORDS, fields
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        fields = dict(self.fields)
        if "name" in fields and lang != "en":
            fields["name"] = FIELDS_RU.get(fields["name"], fields["name"])
        return self.words.get(self.key, lang).format(**fields)


SHOWN_CHARS = 40  # how much of a bad value a message repeats: enough to recognise it, never a megabyte


def shown(value) -> str:
    """A bad value as a message repeats it: numbers in at most 7 significant digits, text cut to SHOWN_CHARS."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return f"{float(value):.7g}"
        except OverflowError:  # an int beyond any float
            return f"~10^{int(value.bit_length() * 0.30103)}"  # its size, without a str() of every digit
    try:
        text = str(value)
    except ValueError:  # Python refuses str() of an int with more than 4,300 digits
        return "…"
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _number(value, bad_type: str, **fields) -> float:
    """float(value), or Invalid(bad_type) for text that is no number and for ints too large for a float."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Invalid(bad_type, got=repr(shown(value)), **fields) from None
    except OverflowError:
        raise Invalid(bad_type, got=shown(value), **fields) from None


def as_int(value, name: str, lo: int, hi: int) -> int:
    """An integer in [lo, hi] from a widget or API value; Invalid (a ValueError) with a plain message otherwise."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, tuple)):
        raise Invalid("INT_NEEDED", name=name, lo=lo, hi=hi)
    number = _number(value, "INT_GOT", name=name, lo=lo, hi=hi)
    if not math.isfinite(number) or number != int(number):
        raise Invalid("INT_GOT", name=name, lo=lo, hi=hi, got=shown(value))
    if not lo <= number <= hi:
        raise Invalid("INT_RANGE", name=name, lo=lo, hi=hi, got=shown(number))
    return int(number)


def as_float(value, name: str, lo: float, hi: float) -> float:
    """A finite number in [lo, hi] from a widget or API value; Invalid (a ValueError) with a plain message otherwise."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, tuple)):
        raise Invalid("NUMBER_NEEDED", name=name, lo=f"{lo:g}", hi=f"{hi:g}")
    number = _number(value, "NUMBER_GOT", name=name, lo=f"{lo:g}", hi=f"{hi:g}")
    if not math.isfinite(number) or not lo <= number <= hi:
        raise Invalid("NUMBER_GOT", name=name, lo=f"{lo:g}", hi=f"{hi:g}", got=shown(value))
    return number


def as_seed(value) -> int:
    return as_int(value, "Seed", 0, MAX_SEED)


def as_choice(value, name: str, choices: list[str]) -> str:
    if value not in choices:
        raise Invalid("CHOICE", name=name, choices=", ".join(choices))
    return value


def _split_request(args: tuple, kwargs: dict, n_params: int):
    """Gradio inserts the gr.Request that `friendly` asks for as one more positional argument (or None when
    there is no request): take it out before calling the handler."""
    kwargs = dict(kwargs)
    request = kwargs.pop("request", None)
    rest = []
    for i, a in enumerate(args):
        if isinstance(a, gr.Request):
            request = a
        elif not (a is None and i == n_params and len(args) == n_params + 1):
            rest.append(a)
    return request, tuple(rest), kwargs


def friendly(fn):
    """Wrap a handler (function or generator) so that it speaks the user's language and every failure
    reaches the user as one clear line in that language.

    The wrapper's signature is the handler's plus `request: gr.Request`, so Gradio hands it the request;
    the handler itself never sees it. The language (i18n.lang_of) is current while the handler runs and
    its outputs pass through i18n.localize. Called directly (at start-up, in tests, by another handler),
    the wrapper keeps whatever language is current."""
    sig = inspect.signature(fn)
    n_params = len(sig.parameters)

    def translate(e: Exception, lang: str) -> gr.Error:
        if isinstance(e, gr.Error):
            return e
        if isinstance(e, (Invalid, Problem)):
            return gr.Error(said(e, lang))
        if isinstance(e, (ValueError, TypeError)):  # raised outside our code: its own English line
            return gr.Error(str(e))
        log.exception("handler %s failed", fn.__name__)
        return gr.Error(WORDS.get("UNEXPECTED", lang).format(kind=type(e).__name__))

    def language(request) -> str:
        return i18n.lang_of(request) if request is not None else i18n.current()

    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            request, args, kwargs = _split_request(args, kwargs, n_params)
            lang = language(request)
            gen = fn(*args, **kwargs)
            try:
                while True:  # each step may run in another worker thread: set the language around every one
                    with i18n.speaking(lang):
                        try:
                            item = next(gen)
                        except StopIteration:
                            return
                        except Exception as e:
                            raise translate(e, lang) from None
                        item = i18n.localize(item, lang)
                    yield item
            finally:
                gen.close()

        wrapper = gen_wrapper
    else:

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            request, args, kwargs = _split_request(args, kwargs, n_params)
            lang = language(request)
            with i18n.speaking(lang):
                try:
                    return i18n.localize(fn(*args, **kwargs), lang)
                except Exception as e:
                    raise translate(e, lang) from None

    request_param = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                      annotation=gr.Request)
    wrapper.__signature__ = sig.replace(parameters=[*sig.parameters.values(), request_param])
    wrapper.__annotations__ = {**getattr(fn, "__annotations__", {}), "request": gr.Request}
    return wrapper


def said(e: Exception, lang: str) -> str:
    """A refusal in `lang`: an Invalid or a Problem in words, anything else as its own text."""
    if isinstance(e, Invalid):
        return e.render(lang)
    if isinstance(e, Problem):
        return render(e, lang)
    return str(e)


def problem_error(problem: Problem) -> gr.Error:
    """A gr.Error for a Problem met before any handler runs (an upload's declared size): English, and
    carrying the Problem so that gradio_checks_in_language can say it in the request's language."""
    error = gr.Error(render(problem, "en"))
    error.problem = problem
    return error


def gradio_refusal(text: str, lang: str) -> str:
    """One of Gradio's own English refusals (GRADIO_REFUSALS_RU) in `lang`; any other text is left as it is."""
    if lang == "en":
        return text
    for pattern, template in GRADIO_REFUSALS_RU:
        m = re.fullmatch(pattern, text)
        if m:
            return template.format(*m.groups())
    return text


INPUT_COUNT = re.compile(r"didn't receive enough input values \(needed: (\d+), got: (\d+)\)")


def gradio_checks_in_language(demo: gr.Blocks) -> None:
    """Gradio checks a slider's range and a radio's choices itself, before any handler (and so before `friendly`)
    runs, and words its refusals in English. Translate those on their way out, in the language of the request,
    and say a Problem met at that stage (problem_error) in that language too. A call with too few inputs gets
    one line instead of Gradio's list of components with their memory addresses."""
    check_and_run = demo.process_api

    @functools.wraps(check_and_run)
    async def process_api(*args, request=None, **kwargs):
        try:
            return await check_and_run(*args, request=request, **kwargs)
        except gr.Error as e:
            lang = i18n.lang_of(request[0] if isinstance(request, list) and request else request)
            problem = getattr(e, "problem", None)
            translated = render(problem, lang) if problem is not None else gradio_refusal(str(e.message), lang)
            if translated == e.message:
                raise
            raise gr.Error(translated, duration=e.duration, title=e.title) from None
        except ValueError as e:  # too few inputs: Gradio's text lists its components with their memory addresses
            count = INPUT_COUNT.search(str(e))
            if count is None:
                raise
            lang = i18n.lang_of(request[0] if isinstance(request, list) and request else request)
            block_fn = kwargs.get("block_fn", args[0] if args else None)
            if isinstance(block_fn, int):
                block_fn = demo.fns.get(block_fn)
            inputs = getattr(block_fn, "inputs", None)
            # what a client sends: Gradio fills a gr.State itself, but counts it among the inputs it needed
            needed = count[1] if inputs is None else sum(not isinstance(c, gr.State) for c in inputs)
            sent = kwargs.get("inputs", args[1] if len(args) > 1 else None)
            got = len(sent) if isinstance(sent, list) else count[2]
            raise gr.Error(WORDS.get("INPUT_COUNT", lang).format(needed=needed, got=got)) from None

    demo.process_api = process_api
