"""Picture inputs that look at an upload's size before Gradio decodes it.

Gradio decodes every picture sent to an input in full before a handler sees it (a Sketchpad converts its
background and its composite to RGBA arrays, a gr.Image converts to RGB and saves a copy). A few-kB PNG of
8000x8000 pixels then costs about a gigabyte for a moment, and the allocator keeps much of it afterwards.
These inputs read the header first and refuse what `image_input.check_size` refuses; handlers decode the
rest themselves with `image_input.load_picture` or `digitize`.
"""
from __future__ import annotations

import io

import gradio as gr

from explainer.data.picture_input import check_size, declared_size
from explainer.runtime.problems import Problem
from explainer.ui.validation import problem_error


def refuse_oversized(file) -> None:
    """gr.Error if `file` (Gradio FileData or bytes) declares more pixels than accepted; anything unreadable is
    left for the decoder, which words that refusal itself."""
    if file is None:
        return
    source = io.BytesIO(file) if isinstance(file, (bytes, bytearray, memoryview)) else getattr(file, "path", None)
    if source is None:
        return
    try:
        size = declared_size(source)
        if size is not None:
            check_size(*size)
    except Problem as e:
        raise problem_error(e) from None


def size_checked_sketchpad(**kwargs) -> gr.Sketchpad:
    """gr.Sketchpad(**kwargs) that refuses an oversized background or layer before decoding it. Its decoding
    step is wrapped on the instance: a subclass would make Gradio write a .pyi stub beside this module."""
    pad = gr.Sketchpad(**kwargs)
    decode = pad.convert_and_format_image

    def checked(file, flatten_on_white: bool = False):
        refuse_oversized(file)
        return decode(file, flatten_on_white)

    pad.convert_and_format_image = checked
    return pad


def picture_upload(label: str, **kwargs) -> gr.Image:
    """An upload box whose handler gets the file's path untouched (image_mode=None: Gradio neither decodes nor
    re-saves it), so `load_picture` checks its size before decoding."""
    return gr.Image(label=label, type="filepath", image_mode=None, sources=["upload", "clipboard"], **kwargs)
