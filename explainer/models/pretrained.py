"""Name -> ready model, from pretrained/NAME.safetensors and its card pretrained/NAME.json.

Weights are read with safetensors only (nothing is unpickled). Each model is built from the
config stored in its card, loaded strictly, moved to the runtime device, put in eval mode and
cached, so every tab shares one copy.
"""
from __future__ import annotations

import json
import threading
from dataclasses import asdict
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from explainer.data.bundled import PRETRAINED_DIR
from explainer.models.autoencoder import VAE, Autoencoder, AutoencoderConfig
from explainer.models.gan import GAN, GANConfig
from explainer.models.judge import Judge, JudgeConfig
from explainer.models.latent import LatentDenoiser, LatentDenoiserConfig, LatentVAE, LatentVAEConfig
from explainer.models.unet import UNet, UNetConfig
from explainer.runtime.device import DEVICE

# name -> (module class, config class)
FAMILIES: dict[str, tuple[type[torch.nn.Module], type]] = {
    "judge": (Judge, JudgeConfig),
    "gan": (GAN, GANConfig),
    "gan_collapsed": (GAN, GANConfig),
    "ae": (Autoencoder, AutoencoderConfig),
    "vae": (VAE, AutoencoderConfig),
    "ddpm": (UNet, UNetConfig),
    "flow": (UNet, UNetConfig),
    "reflow": (UNet, UNetConfig),
    "ldm_vae": (LatentVAE, LatentVAEConfig),
    "ldm": (LatentDenoiser, LatentDenoiserConfig),
}

# Stored in float16 and loaded back into float32 modules: each GAN (generator and discriminator, 6.7M parameters)
# would be 27 MB in float32, over the 20 MB a file in Git should stay under; the halved precision moves no
# judge metric beyond its sampling noise (the cards are rescored from the float16 files).
HALF_STORAGE = {"gan", "gan_collapsed"}

_cache: dict[str, torch.nn.Module] = {}
_lock = threading.Lock()


def card_path(name: str, root: Path = PRETRAINED_DIR) -> Path:
    return root / f"{name}.json"


def read_card(name: str, root: Path = PRETRAINED_DIR) -> dict:
    _check_name(name)
    return json.loads(card_path(name, root).read_text())


def _check_name(name: str) -> None:
    if name not in FAMILIES:
        raise KeyError(f"unknown model {name!r}; known: {', '.join(sorted(FAMILIES))}")


def build(name: str, config: dict | None = None) -> torch.nn.Module:
    """A fresh, untrained module of the family `name` (config fields override the defaults)."""
    _check_name(name)
    module_cls, config_cls = FAMILIES[name]
    return module_cls(config_cls(**(config or {})))


def load(name: str, root: Path = PRETRAINED_DIR, device: torch.device = DEVICE) -> torch.nn.Module:
    """The shipped model `name`, ready for inference; cached per (name, root, device)."""
    key = f"{name}|{root}|{device}"
    with _lock:
        if key not in _cache:
            card = read_card(name, root)
            model = build(name, card["config"])
            # load_state_dict copies into the module's own float32 tensors, so half-stored weights widen here
            model.load_state_dict(load_file(str(root / f"{name}.safetensors")), strict=True)
            _cache[key] = model.to(device).eval().requires_grad_(False)
        return _cache[key]


def save(model: torch.nn.Module, name: str, card: dict, root: Path = PRETRAINED_DIR) -> None:
    """Write NAME.safetensors and NAME.json (the card gets the config of `model`)."""
    root.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    if name in HALF_STORAGE:
        state = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
    save_file(state, str(root / f"{name}.safetensors"))
    card = {"name": name, "config": asdict(model.cfg), **card}
    card_path(name, root).write_text(json.dumps(card, indent=2) + "\n")


def update_metrics(name: str, metrics: dict, root: Path = PRETRAINED_DIR) -> None:
    """Replace the metrics of a shipped model's card, keeping its weights and every other field."""
    card = read_card(name, root)
    card["metrics"] = metrics
    card_path(name, root).write_text(json.dumps(card, indent=2) + "\n")


def available(root: Path = PRETRAINED_DIR) -> list[str]:
    return [n for n in FAMILIES if (root / f"{n}.safetensors").exists()]


