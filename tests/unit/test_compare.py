"""The compare tab: every family answers the same request; filtering for GAN/VAE, evaluation counts, bad input.

The diffusion and flow networks are replaced by a cheap stand-in (the counts and the plumbing do not depend on
training); GAN, VAE and the judge are the shipped ones."""
import pytest
from PIL import Image
import torch

from tests.conftest import serve_tab
from tests.conftest import refused

ALL = ["GAN", "VAE", "DDPM", "DDIM", "Flow"]


class Zero(torch.nn.Module):
    """Predicts zero noise / zero velocity: every sampler runs its full step count."""

    def forward(self, x, t, y):
        return torch.zeros_like(x)


@pytest.fixture
def stand_ins(monkeypatch):
    from explainer.lessons import compare as compare_lesson
    from explainer.models import pretrained

    real_load = pretrained.load
    monkeypatch.setattr(compare_lesson.pretrained, "load", lambda name, *a, **k: Zero() if name in ("ddpm", "flow") else real_load(name, *a, **k))
    monkeypatch.setattr(compare_lesson, "available", lambda root=None: list(ALL))
    monkeypatch.setattr(compare_lesson, "card_fid", lambda name, *_: compare_lesson.CardFid(1.0, 7, sampler=name))


def test_every_family_answers_with_its_evaluation_count(stand_ins):
    from explainer.lessons import compare as ct

    entries = {e.family: e for e in ct.compare(7, 0, 2, ALL)}
    assert list(entries) == ALL
    guided = {"DDPM": 2000, "DDIM": 2 * ct.DDIM_STEPS, "Flow": 2 * ct.FLOW_STEPS}  # a prompt doubles each step
    for family, e in entries.items():
        assert e.nfe == guided.get(family, 1) and e.ms > 0 and e.fid.sampler in ("gan", "vae", "ddpm", "flow", "reflow", "ldm")
        assert len(e.verdicts) == len(e.images) <= 2
    gan = entries["GAN"]
    assert gan.hits == len(gan.images) == 2 and gan.draws >= 64  # filtered: every kept picture is a 7
    assert all(v.startswith("7 ") for v in gan.verdicts)
    uncond = {e.family: e for e in ct.compare(None, 0, 3, ["GAN", "Flow"])}
    assert uncond["GAN"].draws == 3 and uncond["Flow"].nfe == ct.FLOW_STEPS  # no prompt: no filtering, no guidance


def test_filtering_that_finds_nothing_reports_its_budget(stand_ins):
    from explainer.lessons import compare as ct

    (vae,) = ct.compare(5, 0, 2, ["VAE"])  # the shipped VAE's prior samples are rarely read as digits
    assert vae.draws <= ct.FILTER_BUDGET and vae.hits == len(vae.images)
    assert vae.draws == ct.FILTER_BUDGET or len(vae.images) == 2


@pytest.mark.parametrize("label, n, families, message", [
    (12, 2, ["GAN"], "digit from 0 to 9"),
    (3, 0, ["GAN"], "between 1 and"),
    (3, 9, ["GAN"], "between 1 and"),
    (3, 2, ["Diffusion GAN"], "Not available"),
])
def test_bad_requests(stand_ins, label, n, families, message):
    from explainer.lessons import compare as ct

    with refused(message):
        list(ct.compare(label, 0, n, families))


@pytest.mark.api
def test_compare_endpoint_streams_rows_and_refuses_bad_input(stand_ins):
    from gradio_client.exceptions import AppError

    from explainer.ui.tabs import compare as compare_tab

    for client in serve_tab(compare_tab.build):
        job = client.submit("3", 0, 2, ["GAN", "DDIM", "Flow"], api_name="/compare")
        figure, table = job.result()
        assert table.count("| **") == 3 and "network evaluations" in table
        assert len(job.outputs()) >= 3  # one update per finished model
        one, _ = client.predict("3", 0, 2, ["GAN"], api_name="/compare")
        with Image.open(figure) as three_rows, Image.open(one) as one_row:  # a row per model, names drawn in
            assert three_rows.width == one_row.width and three_rows.height > 2.5 * one_row.height
        with pytest.raises(AppError, match="Choose at least one model"):
            client.predict("3", 0, 2, [], api_name="/compare")
        with pytest.raises(AppError, match="Seed"):
            client.predict("3", -4, 2, ["GAN"], api_name="/compare")
        assert client.predict("none", 1, 1, ["GAN"], api_name="/compare")[0].endswith(".png")  # still serving


def test_card_fid_is_the_cards_number_for_the_same_kind_of_request():
    """A prompted row quotes the card's FID at the row's guidance, an unprompted row the unprompted one."""
    from explainer.lessons import compare as ct
    from explainer.models import pretrained
    from explainer.ui.tabs.compare import fid_text

    for name in ("ddpm", "flow"):
        m = pretrained.read_card(name)["metrics"]
        asked = ct.card_fid(name, 7, 3.0)
        assert (asked.value, asked.n, asked.request, asked.guidance) == (m["guided_w3"]["judge_fid"],
                                                                         m["guided_w3"]["n_samples"], "prompted", 3.0)
        free = ct.card_fid(name, None, None)
        assert (free.value, free.request, free.sampler) == (m["unconditional"]["judge_fid"], "unprompted", m["sampler"])
        assert fid_text(asked).startswith(f"{asked.value:.1f} (n = {asked.n}, prompted, w = 3")
    assert ct.card_fid("vae").request == "prior" and "prior" in fid_text(ct.card_fid("vae"))
    assert fid_text(ct.CardFid(None)) == "not measured"
