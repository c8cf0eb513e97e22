"""A member's marketing consent: one record, kept by the app that sends marketing e-mail.

The newsletter (content.newsletter, above community in the layers) keeps that record: a subscriber
row per address with its append-only log of consent events. It registers itself here when the site
starts, and the member's pages (the profile form, /me/, the data export) read and write it through
these functions, so that ticking the box in the profile, confirming a sign-up from the footer and
unsubscribing by the link in an e-mail are the same consent, shown the same everywhere.

Without a registered record (a site without the newsletter) a member has given no consent and the
profile form does not offer it.
"""

import dataclasses
import datetime
import enum
from typing import Protocol


class ConsentState(enum.Enum):
    NONE = "none"            # no consent, or withdrawn
    PENDING = "pending"      # signed up, waiting for the confirmation link to be followed
    GIVEN = "given"          # confirmed: marketing e-mail goes to `address`


@dataclasses.dataclass(frozen=True)
class MarketingConsent:
    state: ConsentState
    since: datetime.datetime | None = None   # when it was given (confirmed), for GIVEN
    address: str = ""                        # the address marketing e-mail goes to, or would

    @property
    def given(self):
        return self.state is ConsentState.GIVEN


class MarketingConsentRecord(Protocol):
    def consent_text(self) -> str:
        """The wording the member agrees to, shown beside the box and recorded with the consent."""

    def consent_for(self, member) -> MarketingConsent:
        """The member's consent, over the addresses they verified."""

    def consent_give(self, member, *, language: str, consent_text: str) -> MarketingConsent:
        """Record consent for the member's verified address; no change if it is already given."""

    def consent_withdraw(self, member) -> MarketingConsent:
        """Withdraw consent (and any sign-up waiting for confirmation) for all the member's addresses."""

    def consent_given_among(self, member_ids) -> set:
        """The ids, among `member_ids`, of the members whose consent is given (one query)."""

    def consent_language_set(self, member, language: str) -> int:
        """Marketing e-mail to the member's verified addresses is written in `language` from now on;
        returns how many subscriptions changed."""


NO_CONSENT = MarketingConsent(ConsentState.NONE)
_record: list[MarketingConsentRecord] = []


def marketing_consent_record_register(record):
    """Called once by the app that keeps the record (content.newsletter's AppConfig.ready)."""
    _record[:] = [record]


def marketing_consent_record():
    """The registered record, or None."""
    return _record[0] if _record else None


def marketing_consent_for(member):
    record = marketing_consent_record()
    if record is None or member is None or not member.is_authenticated:
        return NO_CONSENT
    return record.consent_for(member)


def marketing_consent_given_among(member_ids):
    """The ids, among `member_ids`, of members who gave their marketing consent (for a batch of e-mails)."""
    record = marketing_consent_record()
    member_ids = list(member_ids)
    if record is None or not member_ids:
        return set()
    return set(record.consent_given_among(member_ids))


def marketing_language_set(member, language):
    """The member's marketing e-mail follows their language (`language`, a code of settings.LANGUAGES).
    Returns how many subscriptions changed (0 without a registered record)."""
    record = marketing_consent_record()
    if record is None or member is None or not member.pk:
        return 0
    return record.consent_language_set(member, language)


def marketing_consent_set(member, given, *, language, consent_text=None):
    """Give (`given` true) or withdraw the member's marketing consent; returns the new state.
    Giving it again keeps the date it was first given; withdrawing it again changes nothing."""
    record = marketing_consent_record()
    if record is None:
        return NO_CONSENT
    if given:
        return record.consent_give(member, language=language, consent_text=consent_text or record.consent_text())
    return record.consent_withdraw(member)
