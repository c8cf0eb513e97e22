import pytest

from core.schedule import registry

from .helpers import CALLS


@pytest.fixture
def jobs(monkeypatch):
    """An empty registry for the test (the site's jobs come back after it); returns register()."""
    monkeypatch.setattr(registry, "_registry", {})
    CALLS.clear()
    return registry.schedule_register


@pytest.fixture
def oslo(settings):
    settings.SCHEDULE_TIME_ZONE = "Europe/Oslo"
