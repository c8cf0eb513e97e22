"""gunicorn.conf.py: no recycling by count unless asked, and a memory guard instead."""

import importlib.util
import logging
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env):
    for name in ("GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_RSS_MB", "GUNICORN_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker():
    return SimpleNamespace(alive=True, pid=1, log=logging.getLogger("test"))


def test_workers_are_not_recycled_by_count_by_default_and_the_app_is_preloaded(monkeypatch):
    conf = load(monkeypatch)
    assert conf.max_requests == 0
    assert conf.preload_app is True


def test_recycling_by_count_when_asked_comes_with_jitter(monkeypatch):
    conf = load(monkeypatch, GUNICORN_MAX_REQUESTS="5000")
    assert (conf.max_requests, conf.max_requests_jitter) == (5000, 1000)


def test_a_worker_past_the_memory_limit_is_recycled_and_one_below_it_is_not(monkeypatch):
    conf = load(monkeypatch, GUNICORN_MAX_RSS_MB="1")  # this test process uses far more than 1 MB
    big = worker()
    conf.post_request(big, None, {}, None)
    assert big.alive is False
    conf = load(monkeypatch, GUNICORN_MAX_RSS_MB="1000000")
    small = worker()
    conf.post_request(small, None, {}, None)
    assert small.alive is True
