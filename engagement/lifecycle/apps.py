from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    """Lifecycle e-mails and NPS/CSAT surveys (issue 20, items 1 and 2). Sits above referrals."""

    name = "engagement.lifecycle"
    label = "lifecycle"
    verbose_name = _("Lifecycle e-mails")

    def ready(self):
        from . import kinds, privacy, receivers  # noqa: F401 (privacy: data export and deletion receivers)

        kinds.register()
        receivers.connect()
