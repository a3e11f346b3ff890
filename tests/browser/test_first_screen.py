"""Picture first, on a 1366x768 projector: every tab opens (by deep link, as a class would) with its main
control and main picture inside the first screen, no output picture empty, and no label or tab name cut.
Screenshots of every tab in English and Russian, on a phone, in the dark theme and in presentation mode are
kept in artifacts/screenshots/first-screen/ (CI keeps them; the README's screenshots come from there)."""
import pytest

from tests.browser.conftest import ARTIFACTS, SLOW_MS, no_error_toast

pytestmark = [pytest.mark.browser, pytest.mark.weights]
PROJECTOR = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SHOTS = ARTIFACTS / "first-screen"

# Where the demo is: (main control, main picture) of each tab, as CSS selectors inside the tab's panel.
IMG = "img[src]:not([src=''])"
PLOT = ".js-plotly-plot"
MAIN = {
    "tour": ("button.primary", IMG),
    "gan": ("button.primary", IMG),
    "autoencoder": (PLOT, IMG),  # the latent map is the control: a click on it decodes that point
    "forward": ("input[type=range]", IMG),
    "reverse": ("button.primary", IMG),
    "flow": ("button.primary", IMG),
    "lab": ("button", PLOT),
    "compare": ("button.primary", IMG),
}

# Output pictures and plots with nothing in them (an input to draw or upload on is not an output).
EMPTY_OUTPUTS = """el => Array.from(el.querySelectorAll('[aria-label="Empty value"], .empty'))
    .filter(e => e.offsetParent !== null)
    .map(e => e.closest('.block'))
    .filter(b => b && !b.querySelector('canvas, input[type=file], [data-testid=upload], .upload-container'))
    .map(b => (b.querySelector('[data-testid=block-label]') || b).innerText.slice(0, 60))"""

# Words cut by their box: a picture's label, a tab name, an accordion's title, a table header.
CUT_WORDS = """el => Array.from(el.querySelectorAll(
        'label[data-testid=block-label], [role=tab], .label-wrap > span, th, .prose strong'))
    .filter(e => e.offsetParent !== null && e.clientWidth > 0 && e.innerText.trim() !== ''
                 && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.innerText.slice(0, 60))"""


def _tabs() -> list[str]:
    from explainer.ui import all_tabs, links

    return [links.slug_of(module) for _, module in all_tabs()]


def _open(browser, url: str, slug: str, viewport: dict, locale: str = "en-US", query: str = ""):
    page = browser.new_page(viewport=viewport, locale=locale)
    page.set_default_timeout(60_000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{url.rstrip('/')}/?tab={slug}{query}", wait_until="load", timeout=120_000)
    page.get_by_role("tab").first.wait_for(timeout=120_000)
    # The page opens on its first tab (the tour); the link's load event then selects `slug`. Until it has, the
    # visible panel is the tour's, which is hidden a moment later, with its lazy pictures never loaded.
    page.locator(f"[role=tablist] [role=tab][data-tab-id={slug!r}][aria-selected=true]").first.wait_for(timeout=SLOW_MS)
    panel = page.locator("[role=tabpanel]:visible").first
    panel.wait_for(state="visible")
    control, picture = MAIN[slug]
    panel.locator(picture).first.wait_for(state="visible", timeout=SLOW_MS)
    # pictures on the first screen have loaded (those further down, or not shown at all, load lazily: when
    # scrolled to, or never; a hidden one's box sits at the top and must not count as on the first screen)
    page.wait_for_function("""el => Array.from(el.querySelectorAll('img'))
        .filter(i => i.getClientRects().length > 0 && i.getBoundingClientRect().top < window.innerHeight)
        .every(i => !i.src || i.complete)""", arg=panel.element_handle(), timeout=SLOW_MS)
    page.evaluate("window.scrollTo(0, 0)")
    return page, panel


def _box(panel, selector: str) -> dict:
    return panel.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; }")


@pytest.mark.parametrize("locale", ["en-US", "ru-RU"])
@pytest.mark.parametrize("slug", _tabs())
def test_the_demo_is_the_first_screen(browser, served_app, slug, locale):
    page, panel = _open(browser, served_app.url, slug, PROJECTOR, locale)
    try:
        control, picture = MAIN[slug]
        for what, selector in (("control", control), ("picture", picture)):
            box = _box(panel, selector)
            assert box["height"] > 0 and 0 <= box["top"] and box["bottom"] <= PROJECTOR["height"], (slug, what, box)
        assert panel.evaluate(EMPTY_OUTPUTS) == [], slug
        assert page.evaluate(CUT_WORDS.replace("el => ", "() => ").replace("el.querySelectorAll", "document.querySelectorAll")) == []
        tab_rows = page.locator("[role=tablist]").first.get_by_role("tab").evaluate_all("ts => new Set(ts.map(t => Math.round(t.getBoundingClientRect().top))).size")
        assert tab_rows == 1, f"{slug}: the tab names take {tab_rows} rows"
        no_error_toast(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{slug}-{locale[:2]}.png"))
        assert not page.errors, page.errors
    finally:
        page.close()


@pytest.mark.parametrize("slug", ["gan", "reverse", "flow"])
def test_on_a_phone_the_picture_comes_before_the_controls(browser, served_app, slug):
    page, panel = _open(browser, served_app.url, slug, PHONE)
    try:
        control, picture = MAIN[slug]
        assert panel.evaluate(EMPTY_OUTPUTS) == []
        shown, asked = _box(panel, picture), _box(panel, control)
        assert shown["top"] < PHONE["height"] and shown["top"] < asked["top"], (slug, shown, asked)  # picture first
        # composed figures (captions drawn in) keep their own size and scroll sideways in their box, never shrunk
        sizes = panel.locator(".figure img").evaluate_all(
            "els => els.filter(i => i.offsetParent !== null).map(i => [i.getBoundingClientRect().width, i.naturalWidth])")
        assert all(shown_w >= natural - 1 for shown_w, natural in sizes), (slug, sizes)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{slug}-phone.png"), full_page=False)
        assert not page.errors, page.errors
    finally:
        page.close()


@pytest.mark.parametrize("query, name", [("&__theme=dark", "dark"), ("&present=1", "presentation")])
def test_dark_and_presentation_screens_are_kept(browser, served_app, query, name):
    page, panel = _open(browser, served_app.url, "gan", PROJECTOR, query=query)
    try:
        if name == "presentation":
            assert page.locator("#present-toggle").get_attribute("aria-pressed") == "true"  # the toggle shows its state
            box = _box(panel, MAIN["gan"][1])
            assert box["top"] < PROJECTOR["height"], box  # the picture still starts on the first screen
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"gan-{name}.png"))
        assert not page.errors, page.errors
    finally:
        page.close()
