"""The page in Russian: a browser set to ru-RU sees Russian labels, explanations, plots and answers; a reader
who switches language in Gradio's Settings panel gets answers from the server in the new language too."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.weights]
FORWARD_RU = "Прямая диффузия"


def _page(browser, url: str, locale: str):
    page = browser.new_page(locale=locale, viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    # Not "networkidle": with the diffusion tabs present Gradio keeps a heartbeat stream open, so it never comes.
    page.goto(url, wait_until="load", timeout=120_000)
    page.get_by_role("tab").first.wait_for(timeout=120_000)
    page.wait_for_function("document.documentElement.lang !== ''")
    page.wait_for_function("document.cookie.includes('explainer_lang=')")  # the page script has run (title set)
    return page


def _compare_in_russian(page):
    page.get_by_role("tab", name=FORWARD_RU, exact=True).click()
    panel = page.locator("[role=tabpanel]:visible").first
    panel.get_by_role("button", name="Зашумить обоими способами").click()
    panel.get_by_text("распределение одно, случайные числа разные").wait_for(timeout=120_000)
    return panel


def test_a_russian_browser_gets_the_page_in_russian(browser, served_app):
    page = _page(browser, served_app.url, "ru-RU")
    try:
        assert page.title() == "Генеративное компьютерное зрение своими руками"
        tabs = page.get_by_role("tab").all_inner_texts()
        assert {"Экскурсия", "GAN-сети", "Автоэнкодер и VAE", FORWARD_RU} <= set(tabs), tabs
        assert page.get_by_text("Шесть шагов, в каждом маленькое живое демо").is_visible()  # the tour opens first
        assert page.get_by_role("button", name="Нарисовать цифры (8 шт.)", exact=True).is_visible()
        assert "Работает на" in page.locator("#device-footer").inner_text()
        panel = _compare_in_russian(page)
        assert panel.get_by_text("косинусное (improved DDPM)").is_visible()  # a radio's translated label
        # the plot drawn at start-up was swapped for its Russian twin when the page loaded
        titles = panel.locator(".js-plotly-plot .gtitle").evaluate_all("els => els.map(e => e.textContent)")
        assert "линейное β (DDPM)" in titles, titles
        assert page.locator(".toast-body.error").count() == 0
        assert page.errors == []
    finally:
        page.close()


def test_switching_language_in_settings_reaches_the_server(browser, served_app):
    page = _page(browser, served_app.url, "en-US")
    try:
        assert page.get_by_role("button", name="Draw 8 digits", exact=True).is_visible()
        page.get_by_role("button", name="Settings").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Language").click()
        page.get_by_role("option", name="Русский").click()
        dialog.locator("button").first.click()  # close
        page.get_by_role("button", name="Нарисовать цифры (8 шт.)", exact=True).wait_for()
        assert page.title() == "Генеративное компьютерное зрение своими руками"
        # headers of tabs not opened yet follow too (Gradio alone re-labels a header only once its tab is shown)
        tabs = page.get_by_role("tab").all_inner_texts()
        assert {"Экскурсия", "GAN-сети", "Автоэнкодер и VAE", FORWARD_RU} <= set(tabs), tabs
        _compare_in_russian(page)
        assert page.errors == []
    finally:
        page.close()
