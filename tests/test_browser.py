"""Playwright drives headless Chromium against the running app: every tab opens, the main actions render."""
import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.weights]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def page(app_url):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("EXPLAINER_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed but EXPLAINER_REQUIRE_BROWSER is set")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(app_url, wait_until="networkidle")
        pg.errors = errors
        yield pg
        browser.close()


def _no_error_toast(page):
    assert page.locator(".toast-body.error, .toast-wrap .error").count() == 0


def _rendered_images(scope) -> int:
    return scope.evaluate("""el => Array.from(el.querySelectorAll('img'))
        .filter(i => i.complete && i.naturalWidth > 0 && (i.src.startsWith('http') || i.src.startsWith('data:'))).length""")


def test_gan_tab_generates_and_plots(page):
    page.get_by_role("tab", name="GAN").click()
    page.get_by_role("button", name="Generate", exact=True).click()
    gallery = page.locator(".pixelated").first
    page.wait_for_function("document.querySelectorAll('.pixelated img').length >= 32", timeout=30_000)
    assert _rendered_images(gallery.element_handle()) >= 32
    assert page.get_by_text("one forward pass").count() >= 1
    assert page.locator(".js-plotly-plot").count() >= 2  # loss curves and histogram rendered
    page.get_by_role("button", name="Walk").click()
    page.wait_for_selector("text=The judge along the way", timeout=30_000)
    _no_error_toast(page)
    page.screenshot(path=str(ARTIFACTS / "gan.png"), full_page=True)
    assert "CPU" in page.locator("#device-footer").inner_text() or "CUDA" in page.locator("#device-footer").inner_text()
    assert not page.errors
