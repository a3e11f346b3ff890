"""What every browser test shares: where screenshots go, how long a heavy action may take, one page per module."""
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
SLOW_MS = 120_000  # a loaded 2-core CI machine can take a while for the heavy actions


@pytest.fixture(scope="module")
def page(browser, served_app):
    """A fresh page per test module, all in one browser on one `python app.py`."""
    from tests.conftest import open_app_page

    pg = open_app_page(browser, served_app.url)
    yield pg
    pg.close()


def no_error_toast(page):
    assert page.locator(".toast-body.error, .toast-wrap .error").count() == 0, page.locator(".toast-body").all_inner_texts()
