from django.dispatch import Signal

review_published = Signal()  # review
