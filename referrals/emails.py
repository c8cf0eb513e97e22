"""E-mail addresses as mailboxes, for the "same mailbox" and "disposable address" fraud rules.

Two addresses are the same mailbox when `email_mailbox()` gives the same string for both. Case is
folded everywhere (no provider delivers `Ann@` and `ann@` to different people). Dots and `+tags`
are dropped only where the provider delivers them to the same mailbox, so two people whose
addresses differ by a dot at an ordinary domain are never taken for one:

    provider (domains)                               dots   +tag   domains merged into
    Gmail (gmail.com, googlemail.com)                drop   drop   gmail.com
    Microsoft (outlook.*, hotmail.*, live.*, msn.com) keep   drop   -
    Apple iCloud (icloud.com, me.com, mac.com)       keep   drop   -
    Proton (proton.me, protonmail.com/.ch, pm.me)    keep   drop   proton.me
    Fastmail (fastmail.com, fastmail.fm)             keep   drop   -
    Yandex (yandex.ru/.com/.ua/.by/.kz, ya.ru)       keep   drop   yandex.ru
    Zoho, GMX, mailbox.org, Tutanota/Tuta            keep   drop   -
    Yahoo, AOL, everyone else                        keep   keep   -

(Yahoo's "-keyword" addresses have a base name of their own, not the account's, so nothing can be
dropped there. Microsoft's outlook.com and hotmail.com are different mailboxes for one name.)
Sources: each provider's help pages on plus addressing and, for Gmail, on dots.
"""

from dataclasses import dataclass

from disposable_email_domains import blocklist


@dataclass(frozen=True)
class Provider:
    drop_dots: bool = False
    drop_tag: bool = False
    canonical_domain: str = ""


_GMAIL = Provider(drop_dots=True, drop_tag=True, canonical_domain="gmail.com")
_TAG_ONLY = Provider(drop_tag=True)
_PROTON = Provider(drop_tag=True, canonical_domain="proton.me")
_YANDEX = Provider(drop_tag=True, canonical_domain="yandex.ru")

_MICROSOFT_COUNTRY = ("com", "co.uk", "de", "fr", "it", "es", "nl", "be", "dk", "no", "se", "fi", "gr", "hu", "at",
                      "ch", "ie", "pt", "pl", "cz", "jp", "com.au", "com.br", "ca")

PROVIDERS = {
    "gmail.com": _GMAIL,
    "googlemail.com": _GMAIL,
    "msn.com": _TAG_ONLY,
    **{f"{name}.{tld}": _TAG_ONLY for name in ("outlook", "hotmail", "live") for tld in _MICROSOFT_COUNTRY},
    "icloud.com": _TAG_ONLY,
    "me.com": _TAG_ONLY,
    "mac.com": _TAG_ONLY,
    "proton.me": _PROTON,
    "protonmail.com": _PROTON,
    "protonmail.ch": _PROTON,
    "pm.me": _PROTON,
    "fastmail.com": _TAG_ONLY,
    "fastmail.fm": _TAG_ONLY,
    **{domain: _YANDEX for domain in ("yandex.ru", "yandex.com", "yandex.ua", "yandex.by", "yandex.kz", "ya.ru")},
    "zoho.com": _TAG_ONLY,
    "zohomail.com": _TAG_ONLY,
    "gmx.com": _TAG_ONLY,
    "gmx.de": _TAG_ONLY,
    "gmx.net": _TAG_ONLY,
    "mailbox.org": _TAG_ONLY,
    "tutanota.com": _TAG_ONLY,
    "tuta.io": _TAG_ONLY,
}
_ORDINARY = Provider()


def _split(address):
    if not isinstance(address, str):
        return "", ""
    local, sep, domain = address.strip().casefold().rpartition("@")
    if not sep or not local or not domain:
        return "", ""
    return local, domain.rstrip(".")


def email_mailbox(address):
    """The mailbox `address` delivers to, as a comparable string ("" for something that is not an
    address). See the module's table for what is dropped where."""
    local, domain = _split(address)
    if not local:
        return ""
    provider = PROVIDERS.get(domain, _ORDINARY)
    if provider.drop_tag:
        local = local.split("+", 1)[0]
    if provider.drop_dots:
        local = local.replace(".", "")
    return f"{local}@{provider.canonical_domain or domain}"


def email_domain(address):
    return _split(address)[1]


def email_disposable(address):
    """Whether the address is at a disposable (throw-away) domain, or a subdomain of one, by the
    maintained list of the disposable-email-domains package."""
    domain = email_domain(address)
    parts = domain.split(".")
    return any(".".join(parts[i:]) in blocklist for i in range(len(parts) - 1))
