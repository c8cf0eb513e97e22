"""Forum pages and actions. Each view asks community.forum.permissions, reads through selectors and
writes through services; a forbidden action answers 403 (or 404 where even its existence is
private), a bad form answers 400 with the form and its messages, a member over a rate limit 429.

Views live by concern: lists.py, topic.py, posting.py, moderation.py, feeds.py (common.py holds what
they share; the kept-page cache for members is community/forum/kept.py)."""
