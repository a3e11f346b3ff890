"""Security gates that need no server: weights are safetensors only (nothing is ever unpickled), launch
defaults are local with an upload cap and no public share link, and no code reads a path a user chose.

That a client cannot make the running app read arbitrary server files is checked live in
test_bad_input.py (test_paths_outside_the_upload_cache_are_not_read); dependency advisories are checked
with pip-audit outside the test suite (it needs the network; see README, Benchmarks and checks).
"""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "explainer").rglob("*.py"), ROOT / "app.py", *(ROOT / "benchmarks").glob("*.py")])

UNSAFE = {
    r"\btorch\.load\s*\(": "torch.load unpickles; use safetensors",
    r"\bimport\s+pickle\b|\bfrom\s+pickle\b|\bpickle\.loads?\b": "pickle",
    r"\b(cloudpickle|dill|joblib)\b": "pickle-based serialisation",
    r"allow_pickle\s*=\s*True": "np.load(allow_pickle=True) unpickles",
    r"(?<![.\w])(eval|exec)\s*\(": "eval/exec (a model's .eval() is fine)",
    r"\bshare\s*=\s*True": "a public share link",
    r"subprocess|os\.system|os\.popen": "shelling out (the app never needs to)",
}


@pytest.mark.parametrize("pattern, why", UNSAFE.items(), ids=list(UNSAFE.values()))
def test_no_unsafe_calls_in_the_app(pattern, why):
    # benchmarks start `python app.py`; workers.py starts `python -m explainer.runtime.workers` (a fixed argument
    # list, no shell, nothing a user sent)
    allowed = {"subprocess|os\\.system|os\\.popen": {"bench.py", "load.py", "workers.py"}}
    hits = [f"{p.relative_to(ROOT)}:{n}" for p in SOURCES if p.name not in allowed.get(pattern, ())
            for n, line in enumerate(p.read_text().splitlines(), 1)
            if re.search(pattern, line.split("#", 1)[0])]
    assert not hits, f"{why}: {hits}"


def test_shipped_weights_are_safetensors_only():
    files = [p for p in (ROOT / "pretrained").iterdir() if p.is_file()]
    pickled = [p.name for p in files if p.suffix in {".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".bin", ".joblib"}]
    assert not pickled, pickled
    assert any(p.suffix == ".safetensors" for p in files)
    npz = [p for p in files if p.suffix == ".npz"]
    import numpy as np

    for p in npz:  # arrays only: loading with pickles forbidden must work
        with np.load(p, allow_pickle=False) as z:
            [z[k] for k in z.files]


def test_pretrained_loader_reads_safetensors():
    src = (ROOT / "explainer" / "models" / "pretrained.py").read_text()
    assert "safetensors" in src and "load_file" in src


def test_launch_defaults_are_local_capped_and_private():
    from explainer.ui import MAX_UPLOAD, launch_options

    opts = launch_options()
    assert opts["share"] is False
    assert opts.get("server_name") in (None, "127.0.0.1", "localhost")  # a Space sets GRADIO_SERVER_NAME itself
    assert opts["max_file_size"] == MAX_UPLOAD and re.fullmatch(r"\d+(kb|mb)", MAX_UPLOAD)
    assert int(MAX_UPLOAD[:-2]) <= (50 if MAX_UPLOAD.endswith("mb") else 50_000)


def test_app_py_launches_with_those_options():
    src = (ROOT / "app.py").read_text()
    assert "demo.launch(**launch_options())" in src


def test_handlers_do_not_open_files_themselves():
    """UI modules never open paths: uploads reach the domain code as gradio's temp-file paths, and writing
    goes through ui/files.py's own temp folder."""
    ui = [p for p in (ROOT / "explainer" / "ui").rglob("*.py") if p.name != "files.py"]
    hits = [f"{p.name}:{n}" for p in ui for n, line in enumerate(p.read_text().splitlines(), 1)
            if re.search(r"\bopen\s*\(|\.read_(bytes|text)\s*\(|Image\.open\s*\(|np\.load\s*\(", line.split("#", 1)[0])]
    assert not hits, hits
