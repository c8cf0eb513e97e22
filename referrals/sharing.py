"""Ways to share a member's link: plain share-intent links (no third-party script on our pages;
nothing is sent anywhere until the member follows one) and the QR code, made with segno.

Every link carries `?via=<channel>`, so the member's page and the staff funnel can say which ways
of sharing bring friends.
"""

import io
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno
from django.utils.translation import gettext as _

from .codes import referral_url
from .models import Channel


@dataclass(frozen=True)
class ShareLink:
    channel: str
    label: str  # the button's text
    href: str


def share_text(programme):
    """The words that go with a shared link: the friend's offer if editors wrote one."""
    if programme.friend_offer:
        return _("Join me and get %(offer)s:") % {"offer": programme.friend_offer}
    return _("Join me:")


def share_links(code, programme, request=None):
    """[ShareLink] for e-mail, WhatsApp, X, Facebook and Telegram, in that order."""
    text = share_text(programme)

    def url(channel):
        return referral_url(code, channel, request)

    mail = url(Channel.EMAIL)
    subject = programme.headline or _("An invitation")
    return [
        ShareLink(Channel.EMAIL, _("E-mail"),
                  "mailto:?" + urlencode({"subject": subject, "body": f"{text}\n{mail}"}, quote_via=quote)),
        ShareLink(Channel.WHATSAPP, _("WhatsApp"),
                  "https://wa.me/?" + urlencode({"text": f"{text} {url(Channel.WHATSAPP)}"}, quote_via=quote)),
        ShareLink(Channel.X, _("X"),
                  "https://x.com/intent/post?" + urlencode({"text": text, "url": url(Channel.X)}, quote_via=quote)),
        ShareLink(Channel.FACEBOOK, _("Facebook"),
                  "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url(Channel.FACEBOOK)}, quote_via=quote)),
        ShareLink(Channel.TELEGRAM, _("Telegram"),
                  "https://t.me/share/url?" + urlencode({"url": url(Channel.TELEGRAM), "text": text}, quote_via=quote)),
    ]


def qr_code(code, request=None):
    """The segno QR code of the member's link with `?via=qr` (error correction M: it survives a
    smudged print)."""
    return segno.make(referral_url(code, Channel.QR, request), error="m", boost_error=False)


def qr_svg(code, request=None):
    """The QR code as SVG bytes: dark modules on white with a quiet zone, a title for screen
    readers, scalable (no fixed size)."""
    buffer = io.BytesIO()
    qr_code(code, request).save(buffer, kind="svg", scale=8, border=4, dark="#000", light="#fff",
                                xmldecl=True, title=_("QR code of your invitation link"), svgclass=None,
                                lineclass=None)
    return buffer.getvalue()


def qr_png(code, request=None):
    """The QR code as PNG bytes, large enough to print (10 pixels a module)."""
    buffer = io.BytesIO()
    qr_code(code, request).save(buffer, kind="png", scale=10, border=4, dark="#000", light="#fff")
    return buffer.getvalue()
