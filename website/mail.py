"""E-mail backends.

Every message the site sends goes through TaskQueueBackend: sending (SMTP, or files in the
embedded default) happens in a background task, so a slow mail server never holds up a page.
The backend that really delivers is settings.EMAIL_DELIVERY_BACKEND: in production SMTPBackend,
Django's SMTP backend that can also write to addresses in any script (SMTPUTF8).
"""

import smtplib
import sys
import unicodedata
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import Message
from email.policy import SMTPUTF8
from email.utils import getaddresses
from io import BytesIO

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.utils.encoding import punycode

from core.email_address import needs_smtputf8


class FileAndConsoleBackend(FileBackend):
    """The embedded default's delivery: one .log file per connection under var/mail/, echoed to
    the console so a developer sees the verification link at once."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        if sent:
            ConsoleBackend(stream=sys.stdout, fail_silently=self.fail_silently).send_messages(email_messages)
        return sent


def message_to_dict(message):
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    }


class TaskQueueBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .tasks import email_deliver

        count = 0
        for message in email_messages:
            if message.attachments:
                raise ValueError("TaskQueueBackend does not carry attachments; send them with EMAIL_DELIVERY_BACKEND.")
            email_deliver.enqueue(message_to_dict(message))
            count += 1
        return count


# --- SMTPUTF8 ---------------------------------------------------------------------------------------

ADDRESS_HEADERS = ("From", "To", "Cc", "Reply-To")


def utf8_address(address):
    """An address (a string, or a (name, address) pair) as an SMTPUTF8 message writes it: the local
    part as it is (NFC), the domain in its ASCII form, the display name quoted where it must be.
    ValueError when it is not one address."""
    if isinstance(address, tuple):
        name, spec = address
    else:
        parsed = getaddresses([str(address)])
        if len(parsed) != 1:
            raise ValueError(f"Invalid address {address!r}")
        name, spec = parsed[0]
    if any(char in f"{name}{spec}" for char in "\r\n") or "@" not in spec:
        raise ValueError(f"Invalid address {spec!r}")
    local_part, _at, domain = spec.rpartition("@")
    return Address(display_name=name, username=unicodedata.normalize("NFC", local_part), domain=punycode(domain))


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, and a message to or from an address with non-ASCII letters before the
    @ (`åsne@example.no`) sent as RFC 6531 asks.

    Django writes such a local part as an RFC 2047 encoded word (`=?utf-8?b?w6VzbmU=?=@example.no`),
    an address no server delivers to. Here the message goes with the SMTPUTF8 option, its envelope
    and address headers in UTF-8 (domains in their ASCII form), when the server announces SMTPUTF8;
    a server that does not gets nothing, and the send fails (SMTPNotSupportedError) rather than
    going astray. Every other message goes Django's way, unchanged.
    settings.EMAIL_SMTPUTF8 (core.email_address) says whether forms accept such addresses at all."""

    def _send(self, email_message):
        recipients = email_message.recipients()
        if not recipients:
            return False
        if not any(needs_smtputf8(address.addr_spec) for address in map(utf8_address, [email_message.from_email,
                                                                                          *recipients])):
            return super()._send(email_message)
        connection = self.connection
        connection.ehlo_or_helo_if_needed()
        if not connection.has_extn("smtputf8"):
            if self.fail_silently:
                return False
            raise smtplib.SMTPNotSupportedError(
                "The mail server does not announce SMTPUTF8, so it cannot take an address with non-ASCII "
                "letters before the @. Set EMAIL_SMTPUTF8=false, or use a server that does.")
        envelope_from = utf8_address(email_message.from_email).addr_spec
        envelope_to = [utf8_address(address).addr_spec for address in recipients]
        options = ["SMTPUTF8"] + (["BODY=8BITMIME"] if connection.has_extn("8bitmime") else [])
        try:
            connection.sendmail(envelope_from, envelope_to, self.message_bytes(email_message), mail_options=options)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True

    @staticmethod
    def message_bytes(email_message):
        """The message as Django builds it, with its address headers in UTF-8 instead of Django's
        encoded words, serialised with the SMTPUTF8 policy (UTF-8 headers, CRLF)."""
        message = email_message.message()
        headers = {name.lower(): value for name, value in email_message.extra_headers.items()}
        given = {"From": [headers.get("from", email_message.from_email)], "To": email_message.to,
                 "Cc": email_message.cc, "Reply-To": email_message.reply_to}
        for header in ADDRESS_HEADERS:
            values = [headers[header.lower()]] if header.lower() in headers else given[header]
            if not values or header not in message:
                continue
            pairs = getaddresses([str(value) for value in values])
            del message[header]
            # Message's own __setitem__: Django's SafeMIMEText would encode the local part again.
            Message.__setitem__(message, header, ", ".join(str(utf8_address(pair)) for pair in pairs))
        out = BytesIO()
        BytesGenerator(out, mangle_from_=False, policy=SMTPUTF8.clone(linesep="\r\n")).flatten(message)
        return out.getvalue()

