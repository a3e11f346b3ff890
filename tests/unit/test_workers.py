"""The 2-D lab's trainings in a worker process (runtime/workers.py) give the very model a training in the server's
own thread gives, report progress on the way, refuse what the lab refuses with the same keyed problem, and
survive a worker that dies. The bytes a training crosses in (lab/trained.py) keep every tensor and number."""
import pytest
import torch

from explainer.lessons.lab import datasets as lab_datasets
from explainer.lessons.lab import train as lab_train
from explainer.lessons.lab import trained as codec
from explainer.runtime import workers
from explainer.runtime.problems import Problem


@pytest.fixture(scope="module")
def ring():
    return lab_datasets.load("ring", 1)


@pytest.fixture
def one_worker():
    workers.start(1, preload=("explainer.lessons.lab.train",))
    yield
    workers.start(0)


def _same(a: lab_train.Trained, b: lab_train.Trained) -> None:
    for part in ("model", "critic"):
        x, y = getattr(a, part), getattr(b, part)
        assert (x is None) == (y is None)
        if x is not None:
            sx, sy = x.state_dict(), y.state_dict()
            assert sx.keys() == sy.keys() and all(torch.equal(sx[k], sy[k]) for k in sx)
    assert (a.kind, a.dataset, a.seed, a.loss_steps, a.losses, a.snapshot_steps) == \
           (b.kind, b.dataset, b.seed, b.loss_steps, b.losses, b.snapshot_steps)
    assert len(a.snapshots) == len(b.snapshots) and all(torch.equal(x, y) for x, y in zip(a.snapshots, b.snapshots))


@pytest.mark.parametrize("kind", ["gan", "flow"])
def test_a_trained_model_survives_its_bytes(ring, kind):
    t = lab_train.train(kind, ring, 1, steps=60)
    back = codec.read_trained(codec.trained_bytes(t))
    _same(t, back)
    assert not back.model.training
    job = codec.read_job(codec.job_bytes("reflow", ring, 1, t if kind == "flow" else None))
    assert job[0] == "reflow" and job[2] == 1 and torch.equal(job[1].points, ring.points) and job[1].name == ring.name


def test_a_worker_trains_the_same_model_as_this_thread_and_reports_progress(ring, one_worker):
    here = lab_train.train("gan", ring, 1)
    seen = []
    there = codec.read_trained(workers.run(lab_train.train_job, codec.job_bytes("gan", ring, 1, None),
                                           lambda *at: seen.append(list(at))))
    _same(here, there)
    assert seen[-1] == [1.0, "gan", lab_train.STEPS["gan"], lab_train.STEPS["gan"]]
    assert len(seen) >= 10 and [s[0] for s in seen] == sorted(s[0] for s in seen)


def test_a_worker_refuses_with_the_labs_own_problem(ring, one_worker):
    with pytest.raises(Problem) as refused:
        workers.run(lab_train.train_job, codec.job_bytes("reflow", ring, 1, None))  # reflow needs its flow
    assert refused.value.key == "LAB_REFLOW_BASE"


def test_a_dead_worker_is_replaced_and_its_job_still_answered(ring, one_worker):
    workers._IDLE.queue[0].proc.kill()
    t = codec.read_trained(workers.run(lab_train.train_job, codec.job_bytes("flow", ring, 2, None)))
    assert t.kind == "flow" and t.seed == 2 and t.loss_steps[-1] == lab_train.STEPS["flow"]
    replacement = workers._IDLE.queue[0].proc
    assert replacement.poll() is None  # a live process took the dead one's place
    again = codec.read_trained(workers.run(lab_train.train_job, codec.job_bytes("gan", ring, 2, None)))
    assert again.kind == "gan"
