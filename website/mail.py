"""E-mail backends.

Every message the site sends goes through TaskQueueBackend: sending (SMTP, or files in the
embedded default) happens in a background task, so a slow mail server never holds up a page.
The backend that really delivers is settings.EMAIL_DELIVERY_BACKEND.
"""

import sys

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


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
