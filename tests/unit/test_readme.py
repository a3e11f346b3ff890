"""The README's promises stay true: a valid Spaces header, two set-up commands, CI runs the test one."""
import re
from pathlib import Path

import gradio as gr

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _front_matter() -> dict:
    m = re.match(r"^---\n(.*?)\n---\n", README, re.S)
    assert m, "README must start with a Hugging Face Spaces YAML header"
    return dict(line.split(":", 1) for line in m.group(1).splitlines() if ":" in line)


def test_spaces_header_matches_the_tested_gradio():
    fm = {k.strip(): v.strip().strip("'\"") for k, v in _front_matter().items()}
    assert fm["sdk"] == "gradio" and fm["app_file"] == "app.py"
    assert fm["sdk_version"] == gr.__version__
    assert "title" in fm


def _commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", README)


def test_exactly_two_setup_commands_and_ci_runs_the_test_one():
    cmds = [c for c in _commands() if "pip install" in c]
    assert len(cmds) == 2, cmds
    start, test = cmds
    assert start.endswith("python app.py")
    assert "pytest" in test
    ci = (ROOT / ".ci" / "run").read_text()
    assert test.replace("pip install ", "pip install -q ") in ci


def test_every_api_name_is_listed():
    from app import demo

    names = {d.api_name for d in demo.fns.values() if d.api_name and d.api_visibility == "public"}
    assert names, "the app exposes no API"
    for name in names:
        assert f"`/{name}`" in README, f"/{name} is missing from the README's API list"


def test_every_link_setting_is_listed():
    """The "For teachers" table names every setting a link can carry, tab by tab."""
    from app import demo  # noqa: F401  (building the app fills each tab's LINK_CONTROLS)
    from explainer.ui import all_tabs, links

    section = README.split("## For teachers", 1)[1].split("\n## ", 1)[0]
    for _, module in all_tabs():
        if not hasattr(module, "LINK_CONTROLS"):
            continue
        row = next((line for line in section.splitlines() if line.startswith(f"| `{links.slug_of(module)}` |")), "")
        assert row, f"no row for tab {links.slug_of(module)} in the README's link table"
        for name in module.LINK_CONTROLS:
            assert f"`{name}`" in row, f"link setting {name} of {links.slug_of(module)} missing from the README"


# From Hugging Face's Spaces configuration reference (docs/hub/spaces-config-reference).
SPACES_KEYS = {"title", "emoji", "colorFrom", "colorTo", "sdk", "python_version", "sdk_version", "suggested_hardware",
               "suggested_storage", "app_file", "app_port", "base_path", "fullWidth", "header", "short_description",
               "models", "datasets", "tags", "thumbnail", "pinned", "hf_oauth", "hf_oauth_scopes", "disable_embedding",
               "startup_duration_timeout", "custom_headers", "preload_from_hub", "license"}
SPACES_COLORS = {"red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"}


def test_spaces_header_is_valid_yaml_with_documented_fields():
    import yaml

    fm = yaml.safe_load(re.match(r"^---\n(.*?)\n---\n", README, re.S).group(1))
    assert set(fm) <= SPACES_KEYS, set(fm) - SPACES_KEYS
    assert fm["colorFrom"] in SPACES_COLORS and fm["colorTo"] in SPACES_COLORS
    assert isinstance(fm["short_description"], str) and len(fm["short_description"]) <= 60  # the Hub's limit
    assert isinstance(fm["sdk_version"], str) and fm["sdk_version"] == gr.__version__
    # A quoted string (an unquoted 3.10 would read as the number 3.1); 3.10 or newer, as the code needs.
    assert isinstance(fm["python_version"], str) and re.fullmatch(r"3\.(1\d)(\.\d+)?", fm["python_version"])
    assert fm["suggested_hardware"] == "cpu-basic"  # the free 2-vCPU tier it is sized for
    assert isinstance(fm["pinned"], bool) and all(isinstance(t, str) for t in fm.get("tags", []))
    assert len(fm["emoji"]) <= 2 and not fm["emoji"].isascii()


def test_paths_the_readme_names_exist():
    """A module moved or renamed takes its README mentions with it (outputs under benchmarks/results/ excepted)."""
    named = set(re.findall(r"`((?:explainer|tests|benchmarks|docs|pretrained)/[^`\s]*)`", README))
    named |= set(re.findall(r"\]\(((?:docs|tests|explainer)/[^)\s]+)\)", README))
    assert "docs/ARCHITECTURE.md" in named
    missing = [p for p in sorted(named) if not p.startswith("benchmarks/results/") and not (ROOT / p).exists()]
    assert not missing, f"the README names paths that do not exist: {missing}"


def test_architecture_names_every_module():
    """docs/ARCHITECTURE.md's "where each concept lives" has a line for every module of the package."""
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    package = ROOT / "explainer"
    modules = [p.relative_to(package).as_posix() for p in sorted(package.rglob("*.py"))
               if p.name != "__init__.py" or p.parent.name == "ui"]
    missing = [m for m in modules if f"`{m}`" not in doc]
    assert not missing, f"docs/ARCHITECTURE.md does not say where these live: {missing}"
