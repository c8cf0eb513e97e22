from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django_tasks import task


@task()
def email_deliver(message):
    """Deliver one message serialised by website.mail.message_to_dict."""
    alternatives = message.pop("alternatives", [])
    email = EmailMultiAlternatives(connection=get_connection(settings.EMAIL_DELIVERY_BACKEND), **message)
    for content, mimetype in alternatives:
        email.attach_alternative(content, mimetype)
    email.send()
