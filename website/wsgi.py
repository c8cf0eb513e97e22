import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")

application = get_wsgi_application()


def _warm():
    """Load now what each worker would otherwise load on its first requests: every view (the URL
    patterns), the cache clients, every template tag library, the site's templates compiled, and
    the translations of every language. gunicorn imports this module once, before it forks its
    workers (preload_app in gunicorn.conf.py), so all of it is loaded once and shared by the workers
    instead of copied into each (tests/bench/worker_memory.py)."""
    from pathlib import Path

    from django.conf import settings
    from django.core.cache import caches
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for alias in settings.CACHES:  # the cache clients' modules (no connection is opened here)
        caches[alias]
    engine = engines["django"]
    root = Path(settings.BASE_DIR)
    for folder in sorted(root.glob("*/templates")) + sorted(root.glob("*/*/templates")):
        if ".venv" in folder.parts:
            continue
        for path in sorted(folder.rglob("*.html")):
            try:
                engine.get_template(path.relative_to(folder).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Forum")


if os.environ.get("WSGI_WARM", "1") != "0":
    _warm()
