"""Picture inputs refuse an oversized upload from its header, before Gradio decodes it."""
import io

import gradio as gr
import numpy as np
import pytest
from gradio.data_classes import FileData
from PIL import Image

from explainer.ui.picture_inputs import size_checked_sketchpad, picture_upload, refuse_oversized


def _png_file(tmp_path, size, name="p.png") -> FileData:
    path = tmp_path / name
    Image.new("L", size, 0).save(path, optimize=True)
    return FileData(path=str(path), orig_name=name)


def test_refuses_by_header_and_leaves_the_rest_to_the_decoder(tmp_path, monkeypatch):
    huge = _png_file(tmp_path, (8000, 8000), "huge.png")
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded a picture it should refuse unread"))
    with pytest.raises(gr.Error, match="8000x8000 pixels"):
        refuse_oversized(huge)
    monkeypatch.undo()
    refuse_oversized(_png_file(tmp_path, (280, 280)))  # fine
    refuse_oversized(b"not a picture")  # unreadable: the decoder refuses it with its own words
    refuse_oversized(None)
    bomb = tmp_path / "bomb.png"  # a header claiming 40000 x 40000 pixels: Pillow itself calls it a bomb
    Image.new("1", (40000, 40000)).save(bomb)
    with pytest.raises(gr.Error, match="enormous"):
        refuse_oversized(FileData(path=str(bomb), orig_name="bomb.png"))


def test_sketchpad_refuses_a_huge_background_and_reads_a_normal_drawing(tmp_path):
    pad = size_checked_sketchpad(type="numpy")
    from gradio.components.image_editor import EditorData

    huge = _png_file(tmp_path, (8000, 8000), "huge.png")
    with pytest.raises(gr.Error, match="megapixels"):
        pad.preprocess(EditorData(background=huge, layers=[], composite=huge))
    small = _png_file(tmp_path, (280, 280))
    out = pad.preprocess(EditorData(background=small, layers=[], composite=small))
    assert isinstance(out["composite"], np.ndarray) and out["composite"].shape[:2] == (280, 280)


def test_upload_hands_over_the_file_untouched(tmp_path):
    upload = picture_upload("a picture")
    f = _png_file(tmp_path, (8000, 8000), "huge.png")
    from gradio.data_classes import ImageData

    assert upload.preprocess(ImageData(path=f.path, orig_name="huge.png")) == f.path
