"""`python app.py` serves with two glibc malloc arenas (see app.py). That importing app does not restart the process
is shown by every test that imports it: pytest itself would be replaced."""
import pytest

pytestmark = pytest.mark.api


def test_the_served_app_runs_with_two_malloc_arenas(served_app):
    environ = (open(f"/proc/{served_app.pid}/environ", "rb").read()).split(b"\0")
    assert b"MALLOC_ARENA_MAX=2" in environ
    assert served_app.alive()

