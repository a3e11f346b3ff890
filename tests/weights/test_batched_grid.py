"""The Gradio-batched /gan_sample (EXPLAINER_BATCH_GRIDS=1) returns exactly what one request at a time does."""
import numpy as np
import pytest

pytestmark = pytest.mark.weights


def test_batched_grids_match_single_requests():
    from explainer.ui.tabs import gan as gan_tab

    galleries, infos = gan_tab.sample_grids([3, 4, 3], [2, 5, 1])
    assert [len(g) for g in galleries] == [2, 5, 1] and len(infos) == 3
    for (seed, count), gallery in zip([(3, 2), (4, 5), (3, 1)], galleries):
        single, _ = gan_tab.sample_grid(seed, count)
        assert [c for _, c in gallery] == [c for _, c in single]
        for (a, _), (b, _) in zip(gallery, single):
            np.testing.assert_allclose(a.astype(int), b.astype(int), atol=1)  # one batched matmul vs several


def test_one_bad_request_in_a_batch_is_refused_clearly():
    import gradio as gr

    from explainer.ui.tabs import gan as gan_tab

    with pytest.raises(gr.Error, match="Number of images"):
        gan_tab.sample_grids([1, 2], [3, 10**6])
