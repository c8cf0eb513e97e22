"""website.wsgi loads in gunicorn's master what each worker would load on its first requests, so
the workers share it (tests/bench/worker_memory.py)."""

import sys

from django.template import engines


def test_the_warm_up_compiles_the_sites_templates_and_loads_every_view():
    import website.wsgi

    website.wsgi._warm()
    loader = engines["django"].engine.template_loaders[0]
    compiled = {key.split("-", 1)[0] for key in getattr(loader, "get_template_cache", {})}
    assert {"base.html", "forum/topic.html", "forum/includes/post.html"} <= compiled
    assert "community.forum.views.topic" in sys.modules and "shop.views" in sys.modules
