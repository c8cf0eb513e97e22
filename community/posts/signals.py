from django.dispatch import Signal

post_published = Signal()  # post
