"""Events other apps listen to. Members is low in the stack, so higher layers hook in here."""

from django.dispatch import Signal

# Sent while building a member's data export. Receivers return a (section name, JSON-able data)
# pair; every pair becomes a section of the download. Arguments: member.
member_data_requested = Signal()

# Sent inside the deletion transaction, before personal fields are wiped. Receivers remove or
# anonymise their own personal data for the member. Arguments: member.
member_deleting = Signal()
