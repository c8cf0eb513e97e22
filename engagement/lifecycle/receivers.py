"""Connected from LifecycleConfig.ready()."""

from referrals.thank_you import thank_you_renderer_set, thank_you_sent

from .thank_you import thank_you_logged, thank_you_render


def connect():
    thank_you_renderer_set(thank_you_render)
    thank_you_sent.connect(thank_you_logged, dispatch_uid="lifecycle.thank_you_logged")
