"""Imports point one way: each package may import only its own layer or lower.

Layers, highest first (a module may import same or lower):
  6 ui                      the Gradio app: tabs, words, widgets
  5 train.py, sample.py,    the CLIs, which drive trainers and lessons
    judge.py
  4 lessons, trainers       what a tab teaches, and the recipes that make the
                            weights it loads: both stand on evaluation and
                            below, and neither imports the other (a lesson
                            never trains, a recipe teaches nothing)
  3 evaluation, draw        judging and picturing what the models make
  2 maths, models           the processes and the networks
  1 data                    reading and shaping pixels
  0 runtime                 device, threads, seeds, timing, memory
Besides the layers: no tab imports another tab (the tour calls other tabs'
public builders), no module imports another module's private `_name`, a
lesson imports no other lesson except the shared `lessons.runs` (lab/
modules form one lesson), and word files import nothing from explainer
but runtime.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "explainer"

LAYERS = {
    "runtime": 0, "data": 1, "maths": 2, "models": 2, "evaluation": 3,
    "draw": 3, "lessons": 4, "trainers": 4, "train": 5, "sample": 5, "judge": 5, "ui": 6,
}

# (importer, imported) pairs excused from the rules while a move is under way; none are left.
ALLOWED: set[tuple[str, str]] = set()


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name):
    """(imported module, imported names) for each explainer import in `name`."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [a.name for a in node.names]
            # `from explainer.ui import words` names a module, not a value.
            for alias in names[:]:
                if f"{node.module}.{alias}" in MODULES:
                    found.append((f"{node.module}.{alias}", []))
                    names.remove(alias)
            if names:
                found.append((node.module, names))
    return [(m, n) for m, n in found if m.split(".")[0] == "explainer"]


def package(name):
    """The top-level part under explainer; explainer/__init__.py runs before any of them, so it is the lowest."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "runtime"


def layer(name):
    return LAYERS[package(name)]


def is_tab(name):
    return name.startswith("explainer.ui.tabs.")


def is_lesson(name):
    return name.startswith("explainer.lessons.")


def same_lesson(a, b):
    lab = "explainer.lessons.lab"
    return a.startswith(lab) and b.startswith(lab)


def violations(name, imported, names):
    if (name, imported) in ALLOWED:
        return []
    found = []
    cli_reads_words = package(name) in ("train", "sample") and imported.startswith("explainer.ui.words.en")
    if layer(imported) > layer(name) and not cli_reads_words:  # the CLIs speak English: they read its word files
        found.append(f"{name} (layer {layer(name)}) imports the higher {imported}")
    if is_tab(name) and is_tab(imported) and name != imported:
        if name != "explainer.ui.tabs.tour" or any(n.startswith("_") for n in names):
            found.append(f"tab {name} imports tab {imported}")
    if {package(name), package(imported)} == {"lessons", "trainers"}:
        found.append(f"{name} and {imported}: lessons and trainers do not import each other")
    if is_lesson(name) and is_lesson(imported) and imported != "explainer.lessons.runs":
        if not same_lesson(name, imported):
            found.append(f"lesson {name} imports lesson {imported}")
    if ".ui.words." in name and not imported.startswith(("explainer.runtime", "explainer.ui.words")):
        found.append(f"word file {name} imports {imported}")
    private = [n for n in names if n.startswith("_") and not n.startswith("__")]
    if private and imported != name:
        found.append(f"{name} imports private {private} from {imported}")
    return found


def private_attributes(name):
    """`module._name` uses of a module imported whole (`import a.b as m`)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in MODULES:
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                if f"{node.module}.{a.name}" in MODULES:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return [
        f"{name} uses private {aliases[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        and node.value.id in aliases and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def all_violations():
    found = []
    for name in MODULES:
        for imported, names in imports(name):
            found += violations(name, imported, names)
        found += private_attributes(name)
    return found


def test_imports_point_one_way():
    assert all_violations() == []


@pytest.mark.parametrize("name, imported, names", [
    ("explainer.maths.flow", "explainer.draw.plots", ["layout"]),
    ("explainer.ui.tabs.flow", "explainer.ui.tabs.reverse", ["run_gif"]),
    ("explainer.ui.tabs.tour", "explainer.ui.tabs.reverse", ["_settings"]),
    ("explainer.lessons.flow", "explainer.lessons.reverse", ["record"]),
    ("explainer.ui.words.en.forward", "explainer.maths.diffusion", ["KIND_LABELS"]),
    ("explainer.draw.lab_plots", "explainer.draw.plots", ["_layout"]),
    ("explainer.trainers.gan", "explainer.lessons.gan", ["MODEL"]),
])
def test_each_rule_catches_its_violation(name, imported, names):
    assert violations(name, imported, names)


def test_allowed_imports_still_exist():
    """An allow-list entry whose import is gone should be deleted."""
    present = {(name, imported) for name in MODULES for imported, _ in imports(name)}
    assert ALLOWED <= present


def test_words_repeat_the_domain_names():
    """Word files spell out the names the domain also uses as identifiers and choice values; they must agree."""
    from explainer.draw.forward_frames import CAPTION
    from explainer.lessons.lab import datasets, train
    from explainer.maths.diffusion import KIND_LABELS
    from explainer.ui.words.en import forward, lab

    assert [forward.KIND_LINEAR, forward.KIND_COSINE, forward.KIND_FLOW] == [KIND_LABELS[k] for k in ("linear", "cosine", "flow")]
    assert forward.GIF_CAPTION == CAPTION
    names = ("moons", "ring", "spiral", "checkerboard", "drawing")
    assert [lab.DATA_MOONS, lab.DATA_RING, lab.DATA_SPIRAL, lab.DATA_BOARD, lab.DATA_DRAWING] == [datasets.LABELS[n] for n in names]
    assert [lab.NAME_FLOW, lab.NAME_REFLOW] == [train.LABELS["flow"], train.LABELS["reflow"]]
