"""E-mail normalisation per provider, and disposable domains (referrals.emails)."""

import pytest

from referrals.emails import email_disposable, email_mailbox


@pytest.mark.parametrize("address, mailbox", [
    # case is folded everywhere
    ("Ann@Example.COM", "ann@example.com"),
    ("  ann@example.com ", "ann@example.com"),
    # ordinary domains: dots and +tags are other mailboxes
    ("a.nn@example.com", "a.nn@example.com"),
    ("ann+shop@example.com", "ann+shop@example.com"),
    # Gmail: dots and +tags dropped, googlemail is gmail
    ("A.N.N@gmail.com", "ann@gmail.com"),
    ("ann+refer1@gmail.com", "ann@gmail.com"),
    ("a.nn+x.y@GoogleMail.com", "ann@gmail.com"),
    # Microsoft: +tags only
    ("ann+x@outlook.com", "ann@outlook.com"),
    ("a.nn+x@hotmail.com", "a.nn@hotmail.com"),
    ("a.nn+x@hotmail.co.uk", "a.nn@hotmail.co.uk"),
    ("ann+x@live.com", "ann@live.com"),
    ("ann+x@msn.com", "ann@msn.com"),
    # iCloud: +tags only, domains stay apart
    ("a.nn+x@icloud.com", "a.nn@icloud.com"),
    ("ann+x@me.com", "ann@me.com"),
    # Proton: +tags, and its domains are one account
    ("ann+x@protonmail.com", "ann@proton.me"),
    ("ann@pm.me", "ann@proton.me"),
    ("a.nn@proton.me", "a.nn@proton.me"),
    # Fastmail, Yandex
    ("ann+x@fastmail.com", "ann@fastmail.com"),
    ("ann+x@ya.ru", "ann@yandex.ru"),
    # Yahoo: nothing but case (its -keyword addresses have a base name of their own)
    ("a.nn+x@yahoo.com", "a.nn+x@yahoo.com"),
    ("ann-shop@yahoo.com", "ann-shop@yahoo.com"),
    # not addresses
    ("", ""),
    ("no-at-sign", ""),
    ("@example.com", ""),
    ("ann@", ""),
    (None, ""),
])
def test_mailbox(address, mailbox):
    assert email_mailbox(address) == mailbox


@pytest.mark.parametrize("first, second, same", [
    ("ann.smith@gmail.com", "annsmith+ref@googlemail.com", True),
    ("ann.smith@outlook.com", "annsmith@outlook.com", False),  # dots matter at Microsoft
    ("ann+1@outlook.com", "ANN+2@Outlook.com", True),
    ("ann@outlook.com", "ann@hotmail.com", False),  # different mailboxes
    ("ann@example.com", "ann.@example.com", False),
])
def test_same_mailbox(first, second, same):
    assert (email_mailbox(first) == email_mailbox(second)) is same


@pytest.mark.parametrize("address, disposable", [
    ("x@mailinator.com", True),
    ("x@MAILINATOR.com", True),
    ("x@sub.mailinator.com", True),  # a subdomain of a listed domain
    ("x@gmail.com", False),
    ("x@example.com", False),
    ("not an address", False),
    ("", False),
])
def test_disposable(address, disposable):
    assert email_disposable(address) is disposable
