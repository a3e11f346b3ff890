"""Playwright drives Debian's headless Chromium against `python app.py`: every tab opens, its pictures and
plots really render, its main actions work, and no error toast appears. Screenshots land in
artifacts/screenshots/ (CI keeps them).

Every tab in the app is visited (the list comes from the app itself); a tab's own actions are one small
function registered in TAB_ACTIONS under the tab's label.
"""
import re
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, SLOW_MS, no_error_toast

pytestmark = [pytest.mark.browser, pytest.mark.weights]


def _tab_labels() -> list[str]:
    from explainer.ui import all_tabs

    return [label for label, _ in all_tabs()]


def _rendered_images(scope) -> int:
    """Images in `scope` that finished loading real pixel data (not broken, not 0x0)."""
    return scope.evaluate("""el => Array.from(el.querySelectorAll('img'))
        .filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0
                     && (i.src.startsWith('http') || i.src.startsWith('data:') || i.src.startsWith('blob:'))).length""")


def _wait_images(page, panel, at_least: int, selector: str = "img"):
    panel.element_handle().wait_for_selector(selector, timeout=SLOW_MS)
    page.wait_for_function("""([el, n]) => Array.from(el.querySelectorAll('img'))
        .filter(i => i.complete && i.naturalWidth > 0).length >= n""", arg=[panel.element_handle(), at_least],
                           timeout=SLOW_MS)


def _plots(panel) -> int:
    """Plotly figures that drew their SVG (a failed figure leaves an empty container)."""
    return panel.locator(".js-plotly-plot .main-svg").count()


def open_tab(page, label: str):
    page.get_by_role("tab", name=label, exact=True).click()
    panel = page.locator("[role=tabpanel]:visible").first
    panel.wait_for(state="visible")
    return panel


def gan_actions(page, panel):
    figure = panel.locator(".figure img").first  # one figure: every digit with its words drawn in
    before = figure.get_attribute("src")
    panel.locator("input[type=number]").first.fill("5")  # the seed
    panel.get_by_role("button", name="Generate", exact=True).click()
    page.wait_for_function("([img, b]) => img.src !== b && img.complete && img.naturalWidth > 0",
                           arg=[figure.element_handle(), before], timeout=SLOW_MS)
    assert panel.get_by_text("one forward pass").count() >= 1
    panel.get_by_role("button", name="Walk", exact=True).click()
    panel.get_by_text("The judge along the way").wait_for(timeout=SLOW_MS)
    panel.get_by_role("button", name=re.compile("Sample 1,000 from each")).click()
    panel.get_by_text("of an even spread").nth(1).wait_for(timeout=SLOW_MS)  # both generators reported
    assert _plots(panel) >= 5  # losses, story histogram, walk norms, two collapse histograms


def forward_actions(page, panel):
    assert _plots(panel) >= 2  # schedule curves and pixel histogram, drawn before anyone clicks
    slider = panel.get_by_role("slider").first  # t, then the digit number
    slider.focus()
    step_of = "el => (el.innerText.match(/\\(step (\\d+) of/) || [])[1]"
    before = panel.evaluate(step_of)
    assert before is not None
    for _ in range(5):
        slider.press("ArrowRight")
    page.wait_for_function(f"([el, b]) => ({step_of})(el) !== b", arg=[panel.element_handle(), before], timeout=SLOW_MS)
    panel.get_by_role("button", name=re.compile("Play")).click()
    page.wait_for_function("el => Array.from(el.querySelectorAll('img')).some(i => i.src.includes('.gif') && i.naturalWidth > 0)",
                           arg=panel.element_handle(), timeout=SLOW_MS)
    panel.get_by_role("button", name="Noise it both ways").click()
    panel.get_by_text("same distribution, different random numbers").wait_for(timeout=SLOW_MS)
    panel.get_by_role("button", name="Draw a batch").click()
    panel.get_by_text("what the network must predict").wait_for(timeout=SLOW_MS)
    _wait_images(page, panel, 6)  # x0, x_t, the GIF, one jump, step by step, the batch figure


def autoencoder_actions(page, panel):
    panel.locator(".js-plotly-plot").first.wait_for(timeout=SLOW_MS)
    panel.get_by_role("button", name="Draw 64 new random points").click()
    panel.get_by_text("These 64:").first.wait_for(timeout=SLOW_MS)


def reverse_actions(page, panel):
    panel.get_by_role("button", name="Run", exact=True).click()
    panel.get_by_text(re.compile(r"done: step 50 / 50")).wait_for(timeout=SLOW_MS)
    _wait_images(page, panel, 3)


def flow_actions(page, panel):
    panel.get_by_role("button", name="Run", exact=True).click()
    panel.get_by_text(re.compile(r"done: step 10 / 10")).wait_for(timeout=SLOW_MS)
    panel.get_by_role("button", name=re.compile("Compare the paths")).click()
    panel.get_by_text(re.compile("straightness")).first.wait_for(timeout=SLOW_MS)
    panel.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=SLOW_MS)
    _wait_images(page, panel, 5)


def compare_actions(page, panel):
    panel.get_by_label("DDPM", exact=True).uncheck()  # its 1000 steps are exercised by the reverse tab
    figure = panel.locator(".figure img").first  # one figure: a row per model, names and numbers drawn in
    before = figure.get_attribute("src")
    panel.locator("input[type=number]").last.fill("3")  # the seed
    panel.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_function("([img, b]) => img.src !== b && img.complete && img.naturalWidth > 0",
                           arg=[figure.element_handle(), before], timeout=SLOW_MS)
    page.wait_for_function("el => el.querySelectorAll('table tr').length >= 5", arg=panel.element_handle(),
                           timeout=SLOW_MS)  # a header and one row per model (GAN, VAE, DDIM, flow), streamed in


def lab_actions(page, panel):
    panel.get_by_role("button", name=re.compile("Train \\(a few seconds\\)")).click()
    panel.get_by_text(re.compile("trained just now|from the cache")).first.wait_for(timeout=SLOW_MS)
    panel.get_by_role("button", name="Send the particles").click()
    panel.get_by_text("evaluations / particle").first.wait_for(timeout=SLOW_MS)
    page.wait_for_function("el => Array.from(el.querySelectorAll('img')).some(i => i.src.includes('.gif') && i.naturalWidth > 0)",
                           arg=panel.element_handle(), timeout=SLOW_MS)
    assert _plots(panel) >= 4  # samples, loss, DDPM paths, flow paths
    playground_actions(page, panel)


def _playground_step(panel) -> int:
    text = panel.get_by_text(re.compile(r"step \d+ / \d+")).first.inner_text()
    return int(re.search(r"step (\d+) /", text).group(1))


def playground_actions(page, panel):
    """Play streams frames, Pause keeps the step reached, Step advances by the chosen count."""
    panel.get_by_role("button", name="▶ Play").click()
    page.wait_for_function("el => /step ([1-9]\\d*) \\//.test(el.innerText)", arg=panel.element_handle(), timeout=SLOW_MS)
    page.wait_for_timeout(1500)
    panel.get_by_role("button", name="‖ Pause").click()
    page.wait_for_timeout(1500)
    paused = _playground_step(panel)
    page.wait_for_timeout(1000)
    assert 0 < _playground_step(panel) == paused  # paused (or finished): no more frames
    panel.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function("el => /step 0 \\//.test(el.innerText)", arg=panel.element_handle(), timeout=SLOW_MS)
    panel.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("el => /step 100 \\//.test(el.innerText)", arg=panel.element_handle(), timeout=SLOW_MS)


# Tab label -> its main actions. A tab missing here is still opened and checked for rendering and errors.
TAB_ACTIONS = {
    "GAN": gan_actions,
    "Diffusion: forward": forward_actions,
    "Autoencoder vs VAE": autoencoder_actions,
    "Diffusion: reverse": reverse_actions,
    "Flow matching": flow_actions,
    "Compare all": compare_actions,
    "2-D lab": lab_actions,
}


def test_page_title_and_device_footer(page):
    assert "Generative CV" in page.title()
    footer = page.locator("#device-footer").inner_text()
    assert "CPU" in footer or "CUDA" in footer
    assert set(_tab_labels()) <= set(page.get_by_role("tab").all_inner_texts())


@pytest.mark.parametrize("label", _tab_labels())
def test_tab_renders_and_its_actions_work(page, label):
    from tests.conftest import wait_settled

    panel = open_tab(page, label)
    wait_settled(page)
    action = TAB_ACTIONS.get(label)
    if action:
        action(page, panel)
    wait_settled(page)
    _wait_images(page, panel, 1)  # every tab shows at least one picture once its answers arrived
    n_images = _rendered_images(panel.element_handle())
    broken = panel.evaluate("el => Array.from(el.querySelectorAll('img')).filter(i => i.complete && i.src && i.naturalWidth === 0).length")
    no_error_toast(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)
    assert n_images >= 1 and broken == 0, f"{label}: {n_images} images rendered, {broken} broken"
    assert not page.errors, page.errors
