"""Events of product reviews that higher layers and the reviews' own notifications listen to.
Each is sent after the transaction that made the change commits.

reviews-requests' notifications (notify.py) listen to:
review_replied   (review)                 the brand's reply was written or changed (not removed)
review_voted     (review, member)         `member` found the review helpful
review_approved  (review, moderator)      a review that waited was published by a moderator
review_rejected  (review, moderator, reason)  a moderator rejected it (a RejectReason value)
"""

from django.dispatch import Signal

review_replied = Signal()
review_voted = Signal()
review_approved = Signal()
review_rejected = Signal()
