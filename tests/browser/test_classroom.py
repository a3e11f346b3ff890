"""Classroom features in a real browser: a deep link opens its tab with its settings (and runs it), presentation
mode enlarges the type and hides advanced controls, a bad link is explained, "Copy a link" round-trips, the
tour's buttons open the full tabs, a phone gets a page that fits, and the dark theme re-inks the plots."""
import re

import pytest

from tests.browser.conftest import SLOW_MS, no_error_toast

pytestmark = [pytest.mark.browser, pytest.mark.weights]


@pytest.fixture
def open_url(browser, served_app):
    from tests.conftest import open_app_page

    pages = []

    def go(query: str, width: int | None = None):
        # width: a phone (a narrow viewport, touch and a high pixel density)
        phone = {} if width is None else dict(viewport={"width": width, "height": 840}, device_scale_factor=3,
                                               is_mobile=True, has_touch=True)
        pg = open_app_page(browser, served_app.url + query, **phone)
        pages.append(pg)
        return pg

    yield go
    for pg in pages:
        pg.close()


def _selected_tab(page, expected: str | None = None) -> str:
    """The selected tab's label; with `expected`, first wait for the link's load event to select it."""
    if expected:
        page.locator("[role=tab][aria-selected=true]", has_text=expected).first.wait_for(timeout=SLOW_MS)
    return page.locator("[role=tab][aria-selected=true]").inner_text().strip()


def _panel(page):
    return page.locator("[role=tabpanel]:visible").first


def _prose_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('[role=tabpanel]:not([hidden]) .prose p')).fontSize)")


def test_a_deep_link_opens_its_tab_sets_the_controls_and_runs(open_url):
    page = open_url("?tab=gan&seed=7&n=16")
    assert _selected_tab(page, "GAN") == "GAN"
    panel = _panel(page)
    panel.get_by_text("16 digits in").wait_for(timeout=SLOW_MS)  # the link ran the sampler with n=16
    numbers = panel.locator("input[type=number]").evaluate_all("els => els.map(e => e.value)")
    assert numbers[:2] == ["7", "16"]  # seed box, then the count slider's number field
    assert not page.locator("#link-note").is_visible()
    no_error_toast(page)
    assert not page.errors, page.errors


def test_presentation_mode_from_the_url_and_the_toggle(open_url):
    normal = open_url("?tab=forward")
    normal_px = _prose_px(normal)
    page = open_url("?tab=forward&present=1")
    assert _selected_tab(page, "Diffusion: forward") == "Diffusion: forward"
    assert "present" in page.evaluate("document.body.className")
    assert _prose_px(page) >= 1.25 * normal_px  # readable from the back of the room
    panel = _panel(page)
    assert page.locator("#present-toggle").get_attribute("aria-pressed") == "true"  # the toggle shows its state
    assert not panel.get_by_text("How it works: the idea in words and formulas").is_visible()  # advanced: hidden
    assert not panel.get_by_role("button", name="Copy a link to this demo").is_visible()
    assert not page.locator("#device-footer").is_visible()
    panel.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=SLOW_MS)  # the demo itself stays
    page.get_by_role("button", name="Presentation mode").click()  # and off again, in place
    assert "present" not in page.evaluate("document.body.className")
    assert "present=1" not in page.url
    assert page.locator("#present-toggle").get_attribute("aria-pressed") == "false"
    assert panel.get_by_text("How it works: the idea in words and formulas").is_visible()
    assert abs(_prose_px(page) - normal_px) < 0.5
    assert not page.errors, page.errors


def test_a_bad_link_is_explained_and_the_rest_applies(open_url):
    page = open_url("?tab=gan&n=500&seed=12")
    note = page.locator("#link-note")
    note.wait_for(state="visible", timeout=SLOW_MS)
    assert "'n' must be between 1 and 64" in note.inner_text()
    numbers = _panel(page).locator("input[type=number]").evaluate_all("els => els.map(e => e.value)")
    assert numbers[:2] == ["12", "24"]  # the good seed applied, the count kept its default
    no_error_toast(page)
    assert not page.errors, page.errors


def test_copy_a_link_round_trips(open_url):
    page = open_url("?tab=forward&t=0.75&schedule=cosine&digit=42")
    panel = _panel(page)
    panel.get_by_role("button", name="Copy a link to this demo").click()
    box = panel.locator(".link-row textarea, .link-row input").first
    page.wait_for_function("el => el.value.includes('tab=forward')", arg=box.element_handle(), timeout=SLOW_MS)
    link = box.input_value()
    assert re.search(r"[?&]t=0\.75(&|$)", link) and "schedule=cosine" in link and "digit=42" in link, link
    again = open_url(link[link.index("?"):])
    assert _selected_tab(again, "Diffusion: forward") == "Diffusion: forward"
    again_panel = _panel(again)
    again_panel.get_by_text("t = 0.750").first.wait_for(timeout=SLOW_MS)  # the view was redrawn at t
    assert again_panel.get_by_role("radio", name=re.compile("cosine")).is_checked()
    assert not again.errors, again.errors


def test_a_lab_link_sets_the_playground_knobs_and_copies_them_back(open_url):
    """The lab's link row sits by the playground (not on top); a link sets its knobs and the copy carries them."""
    page = open_url("?tab=lab&dataset=two%20moons&pg_model=DDPM&pg_lr=0.005&pg_total=900&gd_part=3")
    assert _selected_tab(page, "2-D lab") == "2-D lab"
    panel = _panel(page)
    ddpm = panel.get_by_role("radio", name="DDPM", exact=True).last  # the playground's model (the lab's trainer comes first)
    page.wait_for_function("el => el.checked", arg=ddpm.element_handle(), timeout=SLOW_MS)
    assert panel.get_by_role("radio", name=re.compile("two moons", re.I)).is_checked()
    panel.get_by_text(re.compile(r"DDPM · step 0 / 900")).wait_for(timeout=SLOW_MS)  # the view shows the link's run
    assert not page.locator("#link-note").is_visible()
    button = panel.get_by_role("button", name="Copy a link to this demo")
    assert button.bounding_box()["y"] > panel.locator(".js-plotly-plot").first.bounding_box()["y"]  # below the first picture
    button.click()
    box = panel.locator(".link-row textarea, .link-row input").first
    page.wait_for_function("el => el.value.includes('tab=lab')", arg=box.element_handle(), timeout=SLOW_MS)
    link = box.input_value()
    assert "pg_model=DDPM" in link and "pg_lr=0.005" in link and "pg_total=900" in link and "gd_part=3" in link, link
    no_error_toast(page)
    assert not page.errors, page.errors


def test_the_tour_comes_first_and_its_buttons_open_the_full_tabs(open_url):
    page = open_url("")
    assert _selected_tab(page, "Tour") == "Tour"
    panel = _panel(page)
    # images and plots arrive after the page settles (files fetched, plotly drawn): wait for them, then count
    panel.element_handle().wait_for_element_state("visible")
    page.wait_for_function("el => Array.from(el.querySelectorAll('img')).filter(i => i.naturalWidth > 0).length >= 4",
                           arg=panel.element_handle(), timeout=SLOW_MS)
    page.wait_for_function("el => el.querySelectorAll('.js-plotly-plot .main-svg').length >= 3",
                           arg=panel.element_handle(), timeout=SLOW_MS)  # two latent maps and the histogram, pre-filled
    panel.get_by_role("button", name="Draw 8 digits").click()
    panel.get_by_text("8 digits in").wait_for(timeout=SLOW_MS)
    page.mouse.wheel(0, 3000)
    panel.get_by_role("button", name="Open the full Diffusion: forward tab →").click()
    page.wait_for_function("document.querySelector('[role=tab][aria-selected=true]').innerText.includes('forward')",
                           timeout=SLOW_MS)
    assert page.evaluate("window.scrollY") < 50  # back at the top, where the tab begins
    no_error_toast(page)
    assert not page.errors, page.errors


@pytest.mark.parametrize("tab", ["tour", "gan", "autoencoder", "forward"])
def test_on_a_phone_nothing_overflows_sideways_and_every_tab_is_reachable(open_url, tab):
    page = open_url(f"?tab={tab}", width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    tabs = page.get_by_role("tab")
    assert all(tabs.nth(i).is_visible() for i in range(tabs.count()))  # wrapped, not hidden in a menu
    assert not page.locator("#present-toggle").is_visible()  # a projector tool, not a phone one
    assert not page.get_by_role("button", name="Copy a link to this demo").first.is_visible()  # a slide tool too
    wide = page.evaluate("""Array.from(document.querySelectorAll('[role=tabpanel]:not([hidden]) .block'))
        .filter(b => b.offsetParent !== null && b.getBoundingClientRect().right > 391).length""")
    assert wide == 0
    assert not page.errors, page.errors


def test_dark_theme_reinks_the_plots(open_url):
    page = open_url("?tab=forward&__theme=dark")
    assert page.evaluate("document.body.classList.contains('dark')")
    page.locator("[role=tabpanel]:visible .js-plotly-plot .main-svg").first.wait_for(timeout=SLOW_MS)
    style = page.evaluate("""(() => {
        const svg = document.querySelector('[role=tabpanel]:not([hidden]) .js-plotly-plot .main-svg');
        const text = svg.querySelector('.xtick text, .gtitle');
        return {bg: getComputedStyle(svg).backgroundColor, ink: getComputedStyle(text).fill};
    })()""")
    assert style["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), style  # no white box on a dark page
    r, g, b = (int(v) for v in re.findall(r"\d+", style["ink"])[:3])
    assert min(r, g, b) >= 200, style  # light ink
    light = open_url("?tab=forward")
    light.locator("[role=tabpanel]:visible .js-plotly-plot .main-svg").first.wait_for(timeout=SLOW_MS)
    assert light.evaluate("getComputedStyle(document.querySelector('[role=tabpanel]:not([hidden]) .js-plotly-plot "
                          ".main-svg')).backgroundColor") == "rgb(255, 255, 255)"  # the light theme is untouched
