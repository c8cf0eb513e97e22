"""Events of product reviews that higher layers listen to.

review_published is sent once a review becomes published (on submit when it is published at once,
or when a moderator approves it), after the transaction commits. A reward for reviewing listens to
it and must be the same for every rating (16 CFR 465): the signal carries the review, and a
receiver must not read its rating to decide the reward.

The authors' notifications (notify.py) listen to these, each sent after the change commits:
review_replied   (review)                       the brand's reply was written or changed (not removed)
review_voted     (review, member)               `member` found the review helpful
review_approved  (review, moderator)            a review that waited was published by a moderator
review_rejected  (review, moderator, reason)    a moderator rejected it (a RejectReason value)
"""

from django.dispatch import Signal

review_published = Signal()  # review

review_replied = Signal()
review_voted = Signal()
review_approved = Signal()
review_rejected = Signal()
