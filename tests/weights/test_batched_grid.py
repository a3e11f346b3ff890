"""The Gradio-batched /gan_sample (EXPLAINER_BATCH_GRIDS=1) returns exactly what one request at a time does."""
import numpy as np
import pytest

pytestmark = pytest.mark.weights


def test_batched_grids_match_single_requests():
    from explainer.ui.tabs import gan as gan_tab

    figures, infos = gan_tab.sample_grids([3, 4, 3], [2, 5, 1])
    assert len(figures) == 3 and [f"{n} digits" in i for n, i in zip([2, 5, 1], infos)] == [True] * 3
    for (seed, count), figure in zip([(3, 2), (4, 5), (3, 1)], figures):
        single, _ = gan_tab.sample_grid(seed, count)
        assert figure.shape == single.shape
        # one batched matmul against several: the same digits within a grey level (captions may differ in the
        # last digit of D's score, so only the digit cells are compared)
        digits = lambda f: f[:, :, 0][f[:, :, 0] != f[0, 0, 0]]  # noqa: E731
        assert np.mean(np.abs(digits(figure).astype(int) - digits(single).astype(int)) <= 1) > 0.97


def test_one_bad_request_in_a_batch_is_refused_clearly():
    import gradio as gr

    from explainer.ui.tabs import gan as gan_tab

    with pytest.raises(gr.Error, match="Number of images"):
        gan_tab.sample_grids([1, 2], [3, 10**6])
