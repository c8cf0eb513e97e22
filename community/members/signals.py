"""Events other apps listen to. Members is low in the stack, so higher layers hook in here."""

from django.dispatch import Signal

# Sent while building a member's data export. Receivers return a (section name, JSON-able data)
# pair; every pair becomes a section of the download (README.md, "Members' data", documents the
# layout: a receiver adding a section documents it there). Arguments: member.
member_data_requested = Signal()

# Sent while building the zip download of a member's data. Receivers return an iterable of
# (name in the zip, FieldFile) for files the member uploaded; names start with "files/" and are
# the ones the JSON sections give (their "file" keys). Arguments: member.
member_files_requested = Signal()

# Sent inside the deletion transaction, before personal fields are wiped. Receivers remove or
# anonymise their own personal data for the member. Arguments: member, emails (the member's
# verified addresses, lower-cased: what they proved is theirs, such as a newsletter subscription).
member_deleting = Signal()
