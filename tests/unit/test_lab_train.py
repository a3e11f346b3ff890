"""The 2-D lab's models really learn: on a fixed seed each one's samples come within a bound of the data (energy
distance; fresh data from another seed scores ~0.006, N(0, I) noise 0.23 on the ring). Also the samplers' paths,
reflow's straightening, determinism and the cache. Trained with the app's own settings (seconds per model)."""
import pytest
import torch

from explainer.lessons.lab import datasets as lab_datasets
from explainer.lessons.lab import sample as lab_sample
from explainer.lessons.lab import train as lab_train
from explainer.lessons.lab import metrics as M
from explainer.maths.flow import straightness

from tests.conftest import refused

SEED = 0


@pytest.fixture(scope="module")
def ring():
    return lab_datasets.load("ring", SEED)


@pytest.fixture(scope="module")
def trained(ring):
    return {kind: lab_train.get(kind, ring, SEED) for kind in ("ddpm", "flow", "gan", "reflow")}


def _g():
    return torch.Generator().manual_seed(1)


@pytest.mark.parametrize("kind, bound", [("ddpm", 0.03), ("flow", 0.02), ("gan", 0.04), ("reflow", 0.02)])
def test_training_converges_on_the_ring(trained, ring, kind, bound):
    samples = lab_sample.samples(trained[kind], 2000, _g())
    fit = M.fit(samples, ring.points)
    noise = M.fit(torch.randn(2000, 2, generator=_g()), ring.points)
    assert fit.energy < bound < noise.energy / 5, fit
    assert fit.to_data < 0.15 < noise.to_data  # samples on the ring, not around it
    assert fit.to_samples < 0.07  # no part of the ring left out
    curves = trained[kind].losses
    name = "loss_g" if kind == "gan" else "loss"
    assert len(curves[name]) == len(trained[kind].loss_steps) > 10
    if kind in ("ddpm", "flow"):  # a GAN's losses are a game's balance, not a measure of progress
        assert sum(curves[name][-5:]) < sum(curves[name][:5])


def test_the_gan_covers_the_ring_on_this_seed_and_keeps_snapshots(trained, ring):
    cov = M.coverage("ring", lab_sample.samples(trained["gan"], 2000, _g()))
    assert cov.hit >= 7, cov
    snaps = trained["gan"].snapshots
    assert len(snaps) == len(trained["gan"].snapshot_steps) >= 10 and snaps[0].shape == (lab_train.SNAPSHOT_POINTS, 2)
    assert M.energy_distance(snaps[-1], ring.points) < M.energy_distance(snaps[0], ring.points)


def test_flow_converges_on_the_moons():
    moons = lab_datasets.load("moons", SEED)
    model = lab_train.train("flow", moons, SEED)
    assert M.fit(lab_sample.samples(model, 2000, _g()), moons.points).energy < 0.03


def test_paths_run_from_noise_to_samples(trained):
    p = lab_sample.flow_paths(trained["flow"], 300, 20, _g(), "heun")
    assert p.states.shape == (21, 300, 2) and p.times[0] == 1.0 and p.times[-1] == 0.0 and p.nfe == 40
    q = lab_sample.ddpm_paths(trained["ddpm"], 300, 25, _g(), "ddim")
    assert q.states.shape == (26, 300, 2) and q.times[0] == 1.0 and q.times[-1] == 0.0 and q.nfe == 25
    same = lab_sample.flow_paths(trained["flow"], 300, 20, _g(), "heun")
    assert torch.equal(p.states, same.states)  # same seed, same particles
    assert torch.equal(p.states[0], torch.randn(300, 2, generator=_g()))  # they start from the seed's noise


def test_reflow_straightens_the_flow_and_samples_in_one_step(trained, ring):
    straight = {k: float(straightness(lab_sample.flow_paths(trained[k], 500, 50, _g()).states, pooled=True)) for k in ("flow", "reflow")}
    assert straight["reflow"] < 1.03 < 1.2 < straight["flow"], straight
    one_step = lab_sample.flow_paths(trained["reflow"], 2000, 1, _g()).samples
    assert M.fit(one_step, ring.points).energy < 0.03
    flow_one_step = lab_sample.flow_paths(trained["flow"], 2000, 1, _g()).samples
    assert M.fit(flow_one_step, ring.points).energy > 0.3  # the first flow in one step: the mean, not the ring


def test_ancestral_ddpm_paths_are_random_walks(trained):
    ancestral = lab_sample.ddpm_paths(trained["ddpm"], 300, 100, _g(), "ancestral")
    ddim = lab_sample.ddpm_paths(trained["ddpm"], 300, 100, _g(), "ddim")
    assert straightness(ancestral.states, pooled=True) > 3 * straightness(ddim.states, pooled=True)


def test_fields_point_towards_the_data(trained, ring):
    """Near the data (t small), at a point inside the ring next to a blob, the arrows point out towards the blob.
    (Outside the ring flow's -v points outwards too: the whole cloud expands from (1 - t) x_0 to x_0.)"""
    centre = lab_datasets.ring_centres()[0]
    inside = (centre * 0.85).view(1, 2)
    for kind in ("flow", "ddpm"):
        v = lab_sample.field(trained[kind], inside, 0.05)[0]
        assert float(v @ (centre - inside[0])) > 0.5 * float(v.norm() * (centre - inside[0]).norm()), kind
    outside = (centre * 1.15).view(1, 2)
    score = lab_sample.field(trained["ddpm"], outside, 0.05)[0]
    assert float(score @ (centre - outside[0])) > 0  # the score always points up the density
    grid = lab_sample.grid_points(9)
    assert grid.shape == (81, 2) and lab_sample.field(trained["flow"], grid, 0.5).shape == (81, 2)
    with refused("no field"):
        lab_sample.field(trained["gan"], grid, 0.5)


def test_same_seed_same_model_and_the_cache(trained, ring):
    again = lab_train.train("flow", ring, SEED, steps=50)
    twice = lab_train.train("flow", ring, SEED, steps=50)
    assert again.losses == twice.losses
    assert lab_train.get("flow", ring, SEED) is trained["flow"]  # cached: no retraining
    assert lab_train.cached("flow", lab_datasets.load("ring", SEED + 1), SEED) is None


def test_two_learners_asking_for_one_model_at_once_train_it_once(monkeypatch):
    """A class on the teacher's seed presses Train together: the first trains, the others wait and share it."""
    import threading
    import time

    toy, calls = lab_datasets.load("moons", 7), []

    def slow_train(kind, toy, seed, progress=None, base=None):
        calls.append(kind)
        time.sleep(0.3)
        return lab_train.Trained(kind, toy.name, seed, torch.nn.Linear(2, 2), None, [], {}, 0.3)

    monkeypatch.setattr(lab_train, "train", slow_train)
    got = []
    threads = [threading.Thread(target=lambda: got.append(lab_train.get("ddpm", toy, 12345))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["ddpm"] and len(got) == 4 and all(g is got[0] for g in got)
    assert lab_train._TRAINING == {}  # nothing left behind


def test_progress_is_reported_and_bad_kinds_refused(ring):
    seen = []
    lab_train.train("ddpm", ring, SEED, progress=lambda f, *at: seen.append((f, *at)), steps=80)
    assert seen[-1] == (1.0, "ddpm", 80, 80) and [s[2] for s in seen] == sorted(s[2] for s in seen)
    seen = [f for f, *_ in seen]
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 10
    with refused("model must be one of"):
        lab_train.train("vae", ring, SEED)
    with refused("reflow"):
        lab_train.train("reflow", ring, SEED)
    with refused("particles"):
        lab_sample.flow_paths(None, 0, 10, _g())


def test_one_thread_restores_the_thread_count_after_nested_and_concurrent_use():
    import threading

    from explainer.runtime.threads import one_thread

    before = torch.get_num_threads()
    inside, release, seen = threading.Event(), threading.Event(), {}

    def hold():
        with one_thread():
            seen["worker"] = torch.get_num_threads()
            inside.set()
            release.wait(10)
        seen["worker after"] = torch.get_num_threads()

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(10)
    with one_thread():
        assert torch.get_num_threads() == 1
        with one_thread():
            assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before  # restored here while the worker is still inside
    release.set()
    worker.join()
    assert seen == {"worker": 1, "worker after": before}
    assert torch.get_num_threads() == before

    fresh = {}
    t = threading.Thread(target=lambda: fresh.update(n=torch.get_num_threads()))
    t.start()
    t.join()
    assert fresh["n"] == before  # a thread started afterwards gets the count from before, not a leftover 1


def test_the_ddpm_training_noise_matches_the_schedules_q_sample():
    """The trainer indexes the schedule directly (speed); it must agree with diffusion.q_sample."""
    from explainer.maths.diffusion import q_sample

    x0, eps = torch.randn(5, 2), torch.randn(5, 2)
    k = torch.tensor([1, 17, 50, 99, 100])
    mine = lab_train.SIGNAL[k, None] * x0 + lab_train.NOISE[k, None] * eps
    torch.testing.assert_close(mine, q_sample(x0, k.float() / lab_train.T, eps, lab_train.SCHEDULE))
