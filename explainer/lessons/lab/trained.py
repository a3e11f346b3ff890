"""A trained 2-D lab model, and the same as bytes for a worker process (runtime/workers.py): tensors as
safetensors, the rest as JSON in its metadata. Nothing is unpickled; the networks are rebuilt from their config."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import torch
from safetensors.torch import load, save

from explainer.lessons.lab.datasets import Toy
from explainer.models.toy2d import Discriminator, FieldNet, Generator, ToyConfig


@dataclass(eq=False)
class Trained:
    kind: str
    dataset: str
    seed: int
    model: torch.nn.Module  # FieldNet (ddpm, flow) or Generator (gan)
    critic: torch.nn.Module | None  # the GAN's discriminator
    loss_steps: list[int]
    losses: dict[str, list[float]]  # name -> values at loss_steps (averaged over LOG_EVERY steps)
    seconds: float
    snapshots: list[torch.Tensor] = field(default_factory=list)  # GAN: samples of fixed noise along training
    snapshot_steps: list[int] = field(default_factory=list)


def _pack(t: Trained, prefix: str, tensors: dict) -> dict:
    """Put a trained model's tensors into `tensors` under `prefix`; return the rest as JSON-ready values."""
    for part, net in (("model", t.model), ("critic", t.critic)):
        if net is not None:
            tensors |= {f"{prefix}{part}.{k}": v.detach().contiguous() for k, v in net.state_dict().items()}
    if t.snapshots:
        tensors[f"{prefix}snapshots"] = torch.stack(t.snapshots).contiguous()
    return {"kind": t.kind, "dataset": t.dataset, "seed": t.seed, "config": asdict(t.model.cfg),
            "loss_steps": t.loss_steps, "losses": t.losses, "seconds": t.seconds, "snapshot_steps": t.snapshot_steps}


def _unpack(meta: dict, prefix: str, tensors: dict) -> Trained:
    cfg = ToyConfig(**meta["config"])
    model, critic = (Generator(cfg), Discriminator(cfg)) if meta["kind"] == "gan" else (FieldNet(cfg), None)
    for part, net in (("model", model), ("critic", critic)):
        if net is not None:
            start = f"{prefix}{part}."
            net.load_state_dict({k[len(start):]: v for k, v in tensors.items() if k.startswith(start)}, strict=True)
            net.eval()
    snaps = tensors.get(f"{prefix}snapshots")
    return Trained(meta["kind"], meta["dataset"], meta["seed"], model, critic, meta["loss_steps"], meta["losses"],
                   meta["seconds"], list(snaps) if snaps is not None else [], meta["snapshot_steps"])


def _bytes(tensors: dict, meta: dict) -> bytes:
    return save(tensors, metadata={"json": json.dumps(meta)})


def _read(data: bytes) -> tuple[dict, dict]:
    header_size = int.from_bytes(data[:8], "little")  # safetensors: the header's length, then the header (JSON)
    return load(data), json.loads(json.loads(data[8:8 + header_size])["__metadata__"]["json"])


def job_bytes(kind: str, toy: Toy, seed: int, base: Trained | None) -> bytes:
    """A training to do: (kind, dataset, seed) and, for reflow, the flow it straightens."""
    tensors = {"points": toy.points.contiguous()}
    meta = {"kind": kind, "dataset": toy.name, "seed": int(seed), "base": _pack(base, "base.", tensors) if base else None}
    return _bytes(tensors, meta)


def read_job(data: bytes) -> tuple[str, Toy, int, Trained | None]:
    tensors, meta = _read(data)
    base = _unpack(meta["base"], "base.", tensors) if meta["base"] else None
    return meta["kind"], Toy(meta["dataset"], tensors["points"]), meta["seed"], base


def trained_bytes(t: Trained) -> bytes:
    tensors: dict = {}
    meta = _pack(t, "", tensors)
    return _bytes(tensors, meta)


def read_trained(data: bytes) -> Trained:
    tensors, meta = _read(data)
    return _unpack(meta, "", tensors)
