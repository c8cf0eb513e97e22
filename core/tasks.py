"""Background tasks of core (Django's tasks API, the django_tasks package): immediate in development
and tests, a worker in production."""

import logging

from django.apps import apps
from django_tasks import task

from .images import image_use
from .renditions import renditions_delete, renditions_make, renditions_ready

logger = logging.getLogger(__name__)


@task()
def renditions_build(model_label, pk, field, manifest_field, use, name):
    """Make the renditions of the master `name`, stored in `<model_label pk>.<field>`, and record
    them in its `manifest_field`. When the row has moved on to another file (or is gone), what was
    made is deleted again and nothing is recorded. Returns the manifest, or None."""
    model = apps.get_model(model_label)
    rows = model._default_manager.filter(pk=pk, **{field: name})
    if not rows.exists():
        return None
    storage = model._meta.get_field(field).storage
    try:
        use = image_use(use)
        manifest = renditions_make(storage, name, use.rendition_widths, use.fallback_width)
    except (OSError, ValueError) as error:  # the master went away meanwhile, or is not readable
        logger.warning("no renditions for %s: %s", name, error)
        return None
    if not rows.update(**{manifest_field: manifest}):
        renditions_delete(storage, name, manifest)
        return None
    renditions_ready.send(sender=model, pk=pk, field=field, name=name, manifest=manifest)
    return manifest
