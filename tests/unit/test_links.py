"""Deep links (explainer/ui/links.py): query strings are checked against the controls themselves; bad values
are named and ignored, never fatal."""
import gradio as gr
import pytest

from explainer.ui import links
from explainer.ui.widgets import seed_box


@pytest.fixture(scope="module")
def tabs():
    with gr.Blocks():
        gan = {"seed": seed_box("Seed", 0), "n": gr.Slider(1, 64, value=32, step=1, label="Number of images"),
               "path": gr.Radio(["spherical (slerp)", "linear (lerp)"], value="spherical (slerp)")}
        forward = {"t": gr.Slider(0, 1, value=0.3, step=0.001),
                   "schedule": gr.Radio([("linear β (DDPM)", "linear"), ("cosine", "cosine"), ("flow", "flow")], value="linear"),
                   "prompt": gr.Dropdown(["none"] + [str(d) for d in range(10)], value="3")}
    return {"gan": gan, "forward": forward}


def test_a_good_link_sets_every_value_with_the_right_type(tabs):
    link = links.parse({"tab": "gan", "seed": "7", "n": "16", "path": "linear", "present": "1"}, tabs)
    assert link.tab == "gan" and not link.problems and link.note() == ""
    assert link.values == {"seed": 7, "n": 16, "path": "linear (lerp)"}
    assert isinstance(link.values["n"], int)
    link = links.parse({"tab": "Forward", "t": "0.25", "schedule": "cosine", "prompt": "7"}, tabs)
    assert link.tab == "forward" and link.values == {"t": 0.25, "schedule": "cosine", "prompt": "7"}


@pytest.mark.parametrize("query, fragment", [
    ({"tab": "gan", "n": "100"}, "'n' must be between 1 and 64"),
    ({"tab": "gan", "n": "2.5"}, "'n' must be a whole number"),
    ({"tab": "gan", "seed": "-1"}, "Seed must be between 0 and"),
    ({"tab": "gan", "seed": "nan"}, "Seed must be a whole number"),
    ({"tab": "gan", "path": "zigzag"}, "'path' must be one of"),
    ({"tab": "forward", "t": "inf"}, "'t' must be a number between 0 and 1"),
    ({"tab": "forward", "schedule": ""}, "'schedule' must be one of"),
    ({"tab": "gan", "colour": "red"}, "'colour' is not a setting of this tab"),
])
def test_a_bad_value_is_named_and_the_rest_still_applies(tabs, query, fragment):
    good = {"n": "8"} if query["tab"] == "gan" and "n" not in query else {"seed": "3"} if query["tab"] == "gan" else {"prompt": "5"}
    link = links.parse(good | query, tabs)
    assert link.tab == query["tab"]
    assert len(link.problems) == 1 and fragment in link.problems[0], link.problems
    assert link.note().startswith("**Part of this link was ignored:**")
    (name, raw), = good.items()
    assert str(link.values[name]) == raw and set(link.values) == {name}


def test_an_unknown_tab_or_settings_without_a_tab_are_reported(tabs):
    link = links.parse({"tab": "nope"}, tabs)
    assert link.tab is None and "There is no tab 'nope'" in link.problems[0] and "gan, forward" in link.problems[0]
    link = links.parse({"seed": "3"}, tabs)
    assert link.tab is None and "need a tab" in link.problems[0]
    assert links.parse({}, tabs).problems == [] and links.parse({"present": "1"}, tabs).problems == []


def test_prefix_matching_must_be_unambiguous(tabs):
    with gr.Blocks():
        radio = gr.Radio(["DDIM (eta, 5-250 steps)", "DDPM ancestral (1000 steps)"])
    assert links.check_value(radio, "ddpm", "'sampler'") == "DDPM ancestral (1000 steps)"
    with pytest.raises(ValueError, match="'sampler' must be one of"):
        links.check_value(radio, "dd", "'sampler'")


@pytest.mark.weights
def test_the_app_registers_link_controls_for_the_main_tabs():
    """Every tab that opts in names controls the parser can check (a slider, radio, dropdown or seed box)."""
    from explainer.ui.tabs import autoencoder as autoencoder_tab
    from explainer.ui.tabs import forward as forward_tab
    from explainer.ui.tabs import gan as gan_tab

    with gr.Blocks():
        for module in (gan_tab, forward_tab, autoencoder_tab):
            module.build()
    assert {"seed", "n"} <= set(gan_tab.LINK_CONTROLS) and {"t", "schedule", "digit"} <= set(forward_tab.LINK_CONTROLS)
    assert {"z1", "z2"} <= set(autoencoder_tab.LINK_CONTROLS)
    for module in (gan_tab, forward_tab, autoencoder_tab):
        for name, component in module.LINK_CONTROLS.items():
            links.check_value(component, component.value, name)  # the default itself is a valid link value
    assert links.slug_of(gan_tab) == "gan" and links.slug_of(autoencoder_tab) == "autoencoder"
