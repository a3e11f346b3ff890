"""The `ddpm` recipe end to end on a tiny MNIST-format folder: weights and card after every epoch, then the
separate evaluation rewrites the card with its sample count; plus the loss and EMA on their own."""
import json

import pytest
import torch

from explainer.maths import diffusion
from explainer import train
from explainer.models.unet import NULL_CLASS
from explainer.trainers.diffusion import diffusion_loss, ema_update, flow_loss


def test_ddpm_and_flow_recipes_save_weights_and_cards_then_evaluate(tiny_mnist, tmp_path):
    out = tmp_path / "pretrained"
    train.main(["judge", "--data-dir", str(tiny_mnist), "--out", str(out), "--epochs", "1"])
    train.main(["ddpm", "--data-dir", str(tiny_mnist), "--out", str(out), "--epochs", "1", "--batch", "500"])
    card = json.loads((out / "ddpm.json").read_text())
    assert card["optimizer_steps"] == 5 and card["epochs"] == 1 and card["metrics"] is None
    assert card["schedule"] == {"kind": "linear", "T": 1000, "prediction": "eps"}
    assert (out / "ddpm.safetensors").stat().st_size > 1_000_000
    train.main(["ddpm", "--data-dir", str(tiny_mnist), "--out", str(out), "--evaluate", "20", "--eval-steps", "5"])
    card = json.loads((out / "ddpm.json").read_text())
    m = card["metrics"]
    assert m["n_samples_per_setting"] == 20 and m["sampler"] == "DDIM, 5 steps, eta 0"
    assert set(m["class_accuracy_by_guidance"]) == {"1", "3"} and m["unconditional"]["n_samples"] == 20
    assert card["recommended_guidance"] in (1.0, 3.0)
    assert m["gan_judge_fid_same_n"] is None  # no GAN in this folder: nothing to compare with, said so
    train.main(["ddpm", "--data-dir", str(tiny_mnist), "--out", str(out), "--evaluate", "20", "--eval-steps", "5",
                "--eval-eta", "1"])
    noisy = json.loads((out / "ddpm.json").read_text())["metrics"]
    assert noisy["sampler"] == "DDIM, 5 steps, eta 1"
    assert noisy["unconditional"]["judge_fid"] != m["unconditional"]["judge_fid"]  # eta reached the sampler

    train.main(["flow", "--data-dir", str(tiny_mnist), "--out", str(out), "--epochs", "1", "--batch", "500", "--bf16"])
    card = json.loads((out / "flow.json").read_text())
    assert card["schedule"] == {"kind": "rectified_flow", "prediction": "velocity"} and card["hyperparameters"]["bf16"]
    train.main(["flow", "--data-dir", str(tiny_mnist), "--out", str(out), "--epochs", "1", "--batch", "500", "--init-from", "flow",
                "--p-uncond", "0.3", "--lr", "5e-4"])
    card = json.loads((out / "flow.json").read_text())  # a continuation: the card tells the whole run
    assert card["epochs_done"] == 2 and card["command"].count("python -m explainer.train flow") == 2
    assert card["stages"] == [{"epochs": 1, "lr": 1e-3, "p_uncond": 0.1, "batch": 500},
                              {"epochs": 1, "lr": 5e-4, "p_uncond": 0.3, "batch": 500}]
    train.main(["flow", "--data-dir", str(tiny_mnist), "--out", str(out), "--evaluate", "20", "--eval-steps", "2"])
    m = json.loads((out / "flow.json").read_text())["metrics"]
    assert m["sampler"] == "Euler, 2 steps" and m["n_samples_per_setting"] == 20
    fid = m["judge_fid_by_steps"]
    assert set(fid["flow"]) == set(fid["ddim"]) == {"5", "10", "20", "50"} and fid["n_samples"] == 20
    free = m["unprompted_judge_fid_by_steps"]  # the unprompted target: flow at 10 against DDIM-10
    assert set(free["flow"]) == set(free["ddim_eta0"]) == set(free["ddim_eta1"]) == {"5", "10", "20"}
    assert free["n_samples"] == 20 and all(v > 0 for row in ("flow", "ddim_eta0", "ddim_eta1") for v in free[row].values())


class Spy(torch.nn.Module):
    """Records what the loss feeds the network and predicts zero."""

    def __init__(self, seen):
        super().__init__()
        self.seen = seen

    def forward(self, x, t, y):
        self.seen.append((x, t, y))
        return torch.zeros_like(x)


def test_loss_is_noise_prediction_with_label_dropout():
    seen = []
    g = torch.Generator().manual_seed(0)
    x0, y = torch.zeros(4000, 1, 28, 28), torch.full((4000,), 3)
    loss = diffusion_loss(Spy(seen), x0, y, diffusion.make_schedule("linear"), g, p_uncond=0.1)
    x, t, y_seen = seen[0]
    assert 0.98 < float(loss) < 1.02  # predicting zero noise costs E[eps^2] = 1
    assert 0.0 < float(t.min()) and float(t.max()) <= 1.0  # k in 1..T
    assert 0.08 < float((y_seen == NULL_CLASS).float().mean()) < 0.12


def test_flow_loss_targets_the_straight_path_velocity():
    seen = []
    g = torch.Generator().manual_seed(0)
    x0, y = torch.full((4000, 1, 28, 28), 0.5), torch.full((4000,), 3)
    loss = flow_loss(Spy(seen), x0, y, g, p_uncond=0.1)
    x, t, y_seen = seen[0]
    assert 1.22 < float(loss) < 1.28  # zero velocity costs E[(eps - x0)^2] = 1 + 0.5^2
    assert 0.0 <= float(t.min()) < 0.01 and 0.99 < float(t.max()) <= 1.0  # t ~ U[0, 1]
    # x_t = (1 - t) x0 + t eps: at t ~ 0 the image is still x0
    first = int(t.argmin())
    assert torch.allclose(x[first], x0[first], atol=0.05)
    assert 0.08 < float((y_seen == NULL_CLASS).float().mean()) < 0.12


def test_ema_warms_up_then_averages():
    ema, model = torch.nn.Linear(1, 1, bias=False), torch.nn.Linear(1, 1, bias=False)
    torch.nn.init.zeros_(ema.weight), torch.nn.init.ones_(model.weight)
    ema_update(ema, model, 0, 0.999)  # first update: decay 0.1, mostly the model
    assert ema.weight.item() == pytest.approx(0.9)
    torch.nn.init.zeros_(ema.weight)
    ema_update(ema, model, 10**6, 0.999)  # late: the cap
    assert ema.weight.item() == pytest.approx(0.001)
