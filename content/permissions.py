"""Who may see what of the content. Views and templates ask these functions, never the user
object directly, so the rule lives in one place (and loyalty tiers can join it here when the
referrals issue adds them)."""


def can_view_members_content(user, page=None):
    """Members-only pages show their body to signed-in, active members; everyone else sees the
    teaser. `page` is the page asked about (for a future per-page tier rule)."""
    return bool(user is not None and user.is_authenticated and user.is_active)
