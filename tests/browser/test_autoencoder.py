"""Playwright on the autoencoder tab: the maps render, a click on a map decodes that point with both models."""
import re

import pytest

from tests.browser.conftest import ARTIFACTS, no_error_toast

pytestmark = [pytest.mark.browser, pytest.mark.weights]


def test_click_on_the_vae_map_decodes_that_point(page):  # noqa: F811
    page.get_by_role("tab", name="Autoencoder vs VAE").click()
    drag = page.locator("#latent-map-vae .nsewdrag")
    drag.wait_for(timeout=30_000)
    assert page.locator("#latent-map-ae .js-plotly-plot").count() == 1
    box = drag.bounding_box()
    # A click three quarters of the way right and a quarter down: positive z1, positive z2.
    page.mouse.click(box["x"] + 0.75 * box["width"], box["y"] + 0.25 * box["height"])
    page.wait_for_function("""() => { const t = document.querySelector('#latent-point-text').innerText;
        return t.includes('judge reads') && !t.includes('z = (0.00, 0.00)'); }""", timeout=30_000)  # past the first point
    text = page.locator("#latent-point-text").inner_text()
    z1, z2 = (float(v) for v in re.search(r"z = \((-?[\d.]+), (-?[\d.]+)\)", text).groups())
    assert z1 > 0 and z2 > 0
    no_error_toast(page)
    page.screenshot(path=str(ARTIFACTS / "autoencoder.png"), full_page=True)
    assert not page.errors


def test_prior_samples_render(page):  # noqa: F811
    page.get_by_role("tab", name="Autoencoder vs VAE").click()
    page.get_by_role("button", name="Draw 64 new random points").click()
    page.wait_for_selector("text=These 64:", timeout=30_000)
    no_error_toast(page)
