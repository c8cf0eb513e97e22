"""Who sees insights. Each rule is a check raising PermissionDenied with a translated reason, with
its boolean `can_*` twin (core.permissions.allows).

- The figures (counts and rates only, never a member's data): active superusers, or staff with
  `insights.view_insights`.
- Per-customer rows (CSV with e-mail addresses): active superusers, or staff with
  `insights.export_customers` as well; every download is logged (models.CustomerExport).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.permissions import allows

VIEW = "insights.view_insights"
EXPORT = "insights.export_customers"


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active and not getattr(user, "deleted_at", None))


def _staff_with(user, *permissions):
    return user.is_superuser or (user.is_staff and all(user.has_perm(p) for p in permissions))


def check_view(user):
    if not _active(user):
        raise PermissionDenied(_("Sign in as staff to see the insights."))
    if not _staff_with(user, VIEW):
        raise PermissionDenied(_("Only staff with the insights permission can see them."))


def check_export(user):
    check_view(user)
    if not _staff_with(user, VIEW, EXPORT):
        raise PermissionDenied(_("Only staff allowed to export customers can download per-customer rows."))


can_view = allows(check_view)
can_export = allows(check_export)
