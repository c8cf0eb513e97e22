"""Views of the photo posts: pages.py (the wall, a hashtag, a post), posting.py (new, edit, delete).
posts-social and posts-campaigns add their own modules beside these."""
