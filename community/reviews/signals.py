"""Events of product reviews that higher layers listen to.

review_published is sent once a review becomes published (on submit when it is published at once,
or when a moderator approves it), after the transaction commits. A reward for reviewing listens to
it and must be the same for every rating (16 CFR 465): the signal carries the review, and a
receiver must not read its rating to decide the reward.
"""

from django.dispatch import Signal

review_published = Signal()  # review
