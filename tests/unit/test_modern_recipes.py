"""The reflow and latent-diffusion recipes end to end on a tiny MNIST folder, and the pieces they rest on."""
import json

import numpy as np
import torch

from explainer import train
from explainer.maths import latent_samplers
from explainer.models.latent import LatentDenoiser, LatentVAE
from explainer.trainers.latent import vae_loss
from explainer.trainers.reflow import make_pairs, reflow_loss
from explainer.models.unet import UNet
from explainer.runtime.seeding import generator


def test_latent_shapes_and_decode_range():
    vae, den = LatentVAE().eval(), LatentDenoiser().eval()
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    mu, logvar = vae.encode(x)
    assert mu.shape == logvar.shape == (3, 4, 7, 7)
    v = den(mu, torch.rand(3), torch.tensor([1, 2, 10]))
    assert v.shape == mu.shape and torch.all(v == 0)  # zero-initialised output: a calm start
    img = latent_samplers.final(den, vae, 0.5, 3, generator(0, "cpu"), shape=(4, 7, 7), steps=2)
    assert img.shape == (3, 1, 28, 28) and img.min() >= -1 and img.max() <= 1


def test_vae_loss_is_a_per_image_nats_figure_that_falls_with_training():
    torch.manual_seed(0)
    vae = LatentVAE()
    x = (torch.rand(16, 1, 28, 28) > 0.8).float() * 2 - 1
    opt = torch.optim.Adam(vae.parameters(), lr=2e-3)
    first = None
    for _ in range(30):
        loss, rec = vae_loss(vae, x, beta=0.05)
        first = first if first is not None else float(rec.detach())
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert 0 < float(rec.detach()) < first  # binary cross-entropy summed over 784 pixels, per image


def test_pairs_join_each_noise_to_the_teachers_picture_from_it():
    """A pair's noise must be exactly where the teacher's path began, or reflow learns crossing lines again."""
    torch.manual_seed(0)
    teacher = UNet().eval()
    torch.nn.init.normal_(teacher.out[2].weight, std=0.05)
    eps, x0, y = make_pairs(teacher, 6, steps=1, guidance=1.0, p_null=0.5, seed=3, chunk=4)
    assert eps.shape == x0.shape == (6, 1, 28, 28) and y.shape == (6,)
    e, yy = eps.float(), y
    with torch.inference_mode():  # one Heun step from t = 1 to t = 0, by hand
        v1 = teacher(e, torch.ones(6), yy)
        v2 = teacher(e - v1, torch.zeros(6), yy)
        expected = (e - 0.5 * (v1 + v2)).clamp(-1, 1)
    assert torch.allclose(x0.float(), expected, atol=2e-2)


def test_recipes_write_cards_on_a_tiny_folder(tiny_mnist, tmp_path):
    out = tmp_path / "pretrained"
    out.mkdir()
    from explainer.data.bundled import PRETRAINED_DIR
    import shutil
    for name in ("judge", "flow", "ddpm", "gan"):
        for ext in ("json", "safetensors"):
            shutil.copy(PRETRAINED_DIR / f"{name}.{ext}", out)
    common = ["--data-dir", str(tiny_mnist), "--out", str(out)]
    train.main(["ldm_vae", *common, "--epochs", "1", "--batch", "250"])
    train.main(["ldm", *common, "--epochs", "1", "--batch", "250"])
    train.main(["ldm", *common, "--evaluate", "20", "--eval-steps", "2"])
    train.main(["reflow", *common, "--epochs", "1", "--batch", "16", "--n-pairs", "32", "--pair-steps", "2",
                "--pairs", str(tmp_path / "pairs.npz")])
    assert (tmp_path / "pairs.npz").exists()
    vae, ldm, reflow = (json.loads((out / f"{n}.json").read_text()) for n in ("ldm_vae", "ldm", "reflow"))
    assert vae["compression"]["ratio"] == 4.0 and 0 <= vae["metrics"]["reconstructions_read_as_true_digit"] <= 1
    assert ldm["metrics"]["n_samples_per_setting"] == 20 and ldm["recommended_guidance"] in (1.0, 2.0, 3.0, 4.0)
    assert ldm["metrics"]["step_cost"]["latent_flops_per_image"] < ldm["metrics"]["step_cost"]["pixel_flops_per_image"]
    assert reflow["pairs"]["n"] == 32 and reflow["teacher"]["name"] == "flow" and reflow["epochs_done"] == 1
    assert np.load(tmp_path / "pairs.npz")["eps"].dtype == np.float16
    # distillation: the reflow is its own teacher; its card keeps the reflow's story and adds this run
    train.main(["reflow", *common, "--distill", "--epochs", "1", "--batch", "16", "--n-pairs", "32",
                "--pair-solver", "euler", "--pair-steps", "2", "--pair-guidance", "1", "--t-one-share", "0.5",
                "--pairs", str(tmp_path / "own_pairs.npz")])
    distilled = json.loads((out / "reflow.json").read_text())
    assert distilled["teacher"] == reflow["teacher"] and distilled["pairs"] == reflow["pairs"]
    d = distilled["distillation"]
    assert d["pairs"]["solver"] == "euler" and d["pairs"]["evaluations_per_pair"] == 2 and d["t_one_share"] == 0.5
    assert distilled["command"].startswith(reflow["command"] + " && ") and "--distill" in distilled["command"]
    # distilling on: both runs kept, epochs and steps summed, the story told once
    train.main(["reflow", *common, "--distill", "--epochs", "2", "--batch", "16", "--lr", "5e-5",
                "--pairs", str(tmp_path / "own_pairs.npz")])
    again = json.loads((out / "reflow.json").read_text())
    d2 = again["distillation"]
    assert [r["epochs_done"] for r in d2["runs"]] == [1, 2] and d2["epochs_done"] == 3
    assert d2["optimizer_steps"] == sum(r["optimizer_steps"] for r in d2["runs"]) and d2["hyperparameters"]["lr"] == 5e-5
    assert again["description"].count("distilled") == 1 and again["command"].startswith(distilled["command"] + " && ")


def test_distillation_share_trains_the_one_step_jump_from_pure_noise():
    """At t = 1 the input is the noise itself and the target the whole jump eps - x_0: one Euler step's update."""
    seen = {}

    class Spy(torch.nn.Module):
        def forward(self, x_t, t, y):
            seen.update(x_t=x_t, t=t)
            return torch.zeros_like(x_t)

    eps, x0, y = torch.randn(8, 1, 28, 28), torch.rand(8, 1, 28, 28), torch.zeros(8, dtype=torch.long)
    loss = reflow_loss(Spy(), eps, x0, y, generator(0, "cpu"), t_one_share=0.5)
    assert torch.equal(seen["t"][:4], torch.ones(4)) and bool((seen["t"][4:] < 1).all())
    assert torch.allclose(seen["x_t"][:4], eps[:4])  # pure noise in, as one-step sampling starts
    assert torch.isclose(loss, (eps - x0).pow(2).mean())  # a zero field misses the whole jump everywhere


def _reflow_card(flow_fids, reflow_fids, flow_epochs):
    by = {name: {s: {"prompted": {"judge_fid": f}} for s, f in zip(("1", "2", "4"), fids)}
          for name, fids in (("flow", flow_fids), ("reflow", reflow_fids))}
    return {"teacher": {"epochs": 39.0}, "epochs_done": 21, "pairs": {"n": 60000},
            "metrics": {"by_steps": by, "n_samples_per_setting": 10000, "gan_judge_fid_same_n": 46.7,
                        "flow_epochs": flow_epochs, "straightness_50_steps": {"flow": 1.02, "reflow": 1.0}}}


def test_reflow_table_names_the_flow_it_measured_and_says_only_what_its_numbers_show(monkeypatch):
    from explainer.ui import i18n
    from explainer.ui.tabs import flow as flow_tab

    cards = {"behind": _reflow_card((397, 220, 24), (279, 81, 46), 45.0),
             "ahead": _reflow_card((397, 40, 60), (279, 30, 46), 39.0)}
    for lang in ("en", "ru"):
        with i18n.speaking(lang):
            monkeypatch.setattr(flow_tab.pretrained, "read_card", lambda name: cards["behind"])
            behind = flow_tab.reflow_table()
            monkeypatch.setattr(flow_tab.pretrained, "read_card", lambda name: cards["ahead"])
            ahead = flow_tab.reflow_table()
        words = flow_tab.W  # the tab's word lookup, in the language spoken above
        with i18n.speaking(lang):
            past, teacher = words.text("MODEL_FLOW_PAST_TEACHER", epochs=45.0, teacher=39.0), words.text("MODEL_TEACHER", epochs=39.0)
            at_four, behind_gan = words.text("REFLOW_TEACHER_AHEAD_AT_4"), words.text("REFLOW_VERDICT_BEHIND")
            ahead_gan = words.text("REFLOW_VERDICT_AHEAD")
        assert past in behind and teacher not in behind  # the row measured the 45-epoch flow, not the teacher
        assert teacher in ahead
        assert at_four in behind and at_four not in ahead and behind_gan in behind and ahead_gan in ahead
        with i18n.speaking(lang):
            ratio = words.text("REFLOW_ONE_STEP_RATIO", ratio=279 / 46.7)  # 5.97 times
            monkeypatch.setattr(flow_tab.pretrained, "read_card", lambda name: cards["ahead"] | {"distillation": {
                "epochs_done": 8, "pairs": {"n": 60000}, "t_one_share": 0.5}})
            distilled = flow_tab.reflow_table()
            distilled_words = words.text("REFLOW_DISTILLED", epochs=8, pairs=60000, share=50)
        assert ratio in behind and ratio in ahead and "5.97" in ratio
        assert distilled_words in distilled and distilled_words not in ahead


def test_flow_fid_table_shows_the_unprompted_rows_when_the_card_has_them():
    from explainer.ui import i18n
    from explainer.ui.tabs import flow as flow_tab

    prompted = {"judge_fid_by_steps": {"flow": {"5": 14.6, "10": 12.1}, "ddim": {"5": 15.1, "10": 12.6},
                                       "guidance": 1.0, "n_samples": 2000}}
    free = {"flow": {"10": 41.25}, "ddim_eta0": {"10": 51.2}, "ddim_eta1": {"10": 28.0}, "n_samples": 2000}
    for lang in ("en", "ru"):
        with i18n.speaking(lang):
            old, new = flow_tab.fid_table(prompted), flow_tab.fid_table(prompted | {"unprompted_judge_fid_by_steps": free})
            title = flow_tab.W.text("FID_UNPROMPTED_TITLE")
        assert title not in old and "41.2" not in old
        assert new.startswith(old) and title in new and "| 41.2 |" in new and "| 51.2 |" in new and "| 28.0 |" in new
