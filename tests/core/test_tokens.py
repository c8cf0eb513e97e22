"""core.tokens: signed single-purpose tokens."""

import datetime

import pytest
from django.core import signing

from core.tokens import TokenExpired, TokenInvalid, TokenPurpose

PLAIN = TokenPurpose("tests.plain", validate=lambda data: isinstance(data, dict) and isinstance(data.get("id"), int))
TIMED = TokenPurpose("tests.timed", max_age=datetime.timedelta(days=7))


def test_round_trip():
    assert PLAIN.read(PLAIN.make({"id": 7})) == {"id": 7}
    assert TIMED.read(TIMED.make({"id": 7})) == {"id": 7}


def test_non_ascii_payloads_round_trip():
    payload = {"id": 1, "name": "Ἀθηνᾶ Ødegård Árvíztűrő 🌊"}
    assert PLAIN.read(PLAIN.make(payload)) == payload


def test_the_format_is_djangos_signing_so_old_tokens_keep_working():
    old = signing.Signer(salt="tests.plain").sign_object({"id": 3})
    assert PLAIN.read(old) == {"id": 3}
    old_timed = signing.TimestampSigner(salt="tests.timed").sign_object({"id": 3})
    assert TIMED.read(old_timed) == {"id": 3}


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
    lambda t: "x" + t,  # payload changed
    lambda t: t[: len(t) // 2],  # truncated
    lambda t: "",
    lambda t: "not a token",
    lambda t: "ø:ø",
])
def test_tampered_tokens_are_invalid(tamper):
    with pytest.raises(TokenInvalid):
        PLAIN.read(tamper(PLAIN.make({"id": 7})))


def test_a_token_of_another_purpose_is_invalid():
    other = TokenPurpose("tests.other")
    with pytest.raises(TokenInvalid):
        PLAIN.read(other.make({"id": 7}))
    with pytest.raises(TokenInvalid):
        PLAIN.read(signing.dumps({"id": 7}))  # signed by the site, but for no purpose


@pytest.mark.parametrize("payload", [{"id": "7"}, {"other": 1}, [7], "7", None])
def test_a_genuine_token_with_a_malformed_payload_is_invalid(payload):
    with pytest.raises(TokenInvalid):
        PLAIN.read(PLAIN.make(payload))


def test_expiry(monkeypatch):
    token = TIMED.make({"id": 7})
    later = signing.time.time() + datetime.timedelta(days=8).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(TokenExpired):
        TIMED.read(token)
    assert issubclass(TokenExpired, TokenInvalid)
    assert TIMED.read(token, max_age=datetime.timedelta(days=9)) == {"id": 7}  # a caller's own max age


def test_a_token_without_max_age_never_expires(monkeypatch):
    token = PLAIN.make({"id": 7})
    later = signing.time.time() + datetime.timedelta(days=3650).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert PLAIN.read(token) == {"id": 7}


def test_a_timed_token_is_not_a_plain_one():
    with pytest.raises(TokenInvalid):
        TokenPurpose("tests.timed").read(TIMED.make({"id": 7}))
