"""Photo posts' scheduled job (core.schedule)."""

from django.utils.translation import gettext_lazy as _

from core.schedule.cadence import Every
from core.schedule.registry import schedule_register

schedule_register("posts_follow_notify", Every(15), command=("posts_follow_notify",),
                  description=_("Tells the followers of each hashtag about the posts published under it since."))
