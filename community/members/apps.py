from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "community.members"
    label = "members"
    verbose_name = "Members"

    def ready(self):
        from . import welcome
        from .notification_kinds import register_site_kinds

        register_site_kinds()
        welcome.connect()
