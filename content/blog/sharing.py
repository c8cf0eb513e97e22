"""Share buttons for a blog post: plain share-intent links, no third-party script on our pages, and
nothing is sent anywhere until the reader follows one. static/js/share.js adds "Copy link" and the
device's own share sheet where the browser has one."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _

from core.absolute import absolute_url


@dataclass(frozen=True)
class ShareLink:
    channel: str
    label: str
    href: str


def blog_share_links(post, request):
    """[ShareLink] for e-mail, WhatsApp, X, Facebook, LinkedIn and Telegram."""
    url = absolute_url(post.get_url(request), request)
    title = post.title
    text = f"{title} {url}"
    return [
        ShareLink("email", _("E-mail"), "mailto:?" + urlencode({"subject": title, "body": text}, quote_via=quote)),
        ShareLink("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": text}, quote_via=quote)),
        ShareLink("x", "X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url}, quote_via=quote)),
        ShareLink("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}, quote_via=quote)),
        ShareLink("linkedin", "LinkedIn",
                  "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}, quote_via=quote)),
        ShareLink("telegram", "Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title}, quote_via=quote)),
    ]
