"""E-mail addresses in any script (core.email_address): accepted where the mail system can deliver
to them (settings.EMAIL_SMTPUTF8), a clear message where it cannot, and sent as RFC 6531 asks by
website.mail.SMTPBackend to a server that announces SMTPUTF8 (a fake one here, on a local socket:
the mail provider is the outside world)."""

import smtplib
import socketserver
import threading
from email import message_from_string, policy

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from core.email_address import EmailAddressField, needs_smtputf8, validate_email_address
from website.mail import SMTPBackend, utf8_address

# (address, accepted with SMTPUTF8 on, accepted with it off); an error's code otherwise.
ADDRESSES = [
    ("asne@example.no", "ok", "ok"),
    ("åsne@example.no", "ok", "smtputf8"),
    ("ελένη@example.gr", "ok", "smtputf8"),
    ("zoé.ő@example.hu", "ok", "smtputf8"),
    ("a\u030asne@example.no", "ok", "smtputf8"),        # å as a + combining ring: the same address
    ("user@bücher.de", "ok", "ok"),                      # an internationalised domain: sent as xn--
    ("user@例え.jp", "ok", "ok"),
    ("ユーザー@例え.jp", "ok", "smtputf8"),
    ("åsne@localhost", "ok", "smtputf8"),
    ("", "invalid", "invalid"),
    ("åsne", "invalid", "invalid"),
    ("å sne@example.no", "invalid", "invalid"),         # a space
    ("å..sne@example.no", "invalid", "invalid"),        # an empty atom
    (".åsne@example.no", "invalid", "invalid"),
    ("\u202eåsne@example.no", "invalid", "invalid"),    # a bidirectional override: passes for another
    ("åsne\u200b@example.no", "invalid", "invalid"),    # an invisible zero-width space
    ("å☃@example.no", "invalid", "invalid"),             # a symbol
    ("åsne@example", "invalid", "invalid"),             # no top-level domain
    ("åsne@-example.no", "invalid", "invalid"),
    ("ü" + "x" * 63 + "@example.de", "invalid", "invalid"),  # 65 octets before the @
    ("x@" + "ä" * 64 + ".de", "invalid", "invalid"),    # a label too long to have an ASCII form
    ('"å"@example.no', "invalid", "invalid"),           # quoted: only ASCII there
]


def outcome(address):
    try:
        validate_email_address(address)
    except ValidationError as error:
        return error.code
    return "ok"


@pytest.mark.parametrize(("address", "on", "off"), ADDRESSES)
def test_addresses_in_any_script_where_the_mail_system_allows(address, on, off):
    with override_settings(EMAIL_SMTPUTF8=True):
        assert outcome(address) == on
    with override_settings(EMAIL_SMTPUTF8=False):
        assert outcome(address) == off


SMTPUTF8_MESSAGE = ("We cannot send e-mail to addresses with letters other than a to z before the @ yet. "
                    "Please use another address.")


def test_the_message_when_it_is_off_is_clear_and_translated():
    """The form says why (not "Enter a valid email address."), in the page's language: the
    Hungarian catalogue's words once it has them."""
    import polib
    from django.conf import settings
    from django.utils import translation

    with override_settings(EMAIL_SMTPUTF8=False):
        with pytest.raises(ValidationError) as english:
            validate_email_address("åsne@example.no")
        with translation.override("hu"):
            with pytest.raises(ValidationError) as hungarian:
                validate_email_address("åsne@example.no")
            shown = hungarian.value.messages  # lazy: read in the language
    assert english.value.messages == [SMTPUTF8_MESSAGE]
    entry = polib.pofile(str(settings.BASE_DIR / "locale" / "hu" / "LC_MESSAGES" / "django.po")).find(SMTPUTF8_MESSAGE)
    if entry is not None and entry.msgstr:
        assert shown == [entry.msgstr]


def test_the_field_stores_one_spelling_and_lets_the_browser_send_any_script():
    field = EmailAddressField()
    assert field.clean(" a\u030asne@example.no ") == "åsne@example.no"  # NFC, trimmed
    html = field.widget.render("email", "")
    assert 'type="text"' in html and 'inputmode="email"' in html and 'autocomplete="email"' in html


def test_needs_smtputf8_reads_the_part_before_the_at():
    assert needs_smtputf8("åsne@example.no")
    assert not needs_smtputf8("asne@bücher.de")  # the domain goes in its ASCII form


# --- sending -------------------------------------------------------------------------------------

class FakeSMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO (announcing what the test asks), MAIL, RCPT, DATA, QUIT.
    Records each command line as the server read it (bytes) and each message's data."""

    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        server = self.server
        self.reply("220 fake.example ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            server.commands.append(line.rstrip(b"\r\n"))
            verb = line[:4].upper()
            if verb == b"EHLO":
                extensions = ["fake.example", "8BITMIME", *server.extensions]
                for extension in extensions[:-1]:
                    self.reply(f"250-{extension}")
                self.reply(f"250 {extensions[-1]}")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 go on")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.messages.append(b"".join(data))
                self.reply("250 queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")


@pytest.fixture
def smtp_server():
    def start(extensions=("SMTPUTF8",)):
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSMTPHandler)
        server.daemon_threads = True
        server.commands, server.messages, server.extensions = [], [], list(extensions)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    started = []
    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def backend_for(server, **kwargs):
    host, port = server.server_address
    return SMTPBackend(host=host, port=port, use_tls=False, use_ssl=False, timeout=5, **kwargs)


def message(to, **kwargs):
    email = EmailMultiAlternatives(subject="Καλώς ήρθες", body="Γεια σου, Ελένη!", from_email="Brand <community@example.com>",
                                   to=to, **kwargs)
    email.attach_alternative("<p>Γεια σου, Ελένη!</p>", "text/html")
    return email


def test_a_message_to_an_address_in_any_script_goes_with_smtputf8(smtp_server):
    server = smtp_server()
    sent = backend_for(server).send_messages([message(["Ελένη Π. <ελένη@example.gr>", "user@bücher.de"],
                                                      cc=["åsne@example.no"])])
    assert sent == 1
    commands = [line.decode("utf-8") for line in server.commands]
    mail_from = next(line for line in commands if line.upper().startswith("MAIL FROM"))
    assert mail_from.startswith("mail FROM:<community@example.com>") and "SMTPUTF8" in mail_from
    rcpts = [line for line in commands if line.upper().startswith("RCPT")]
    assert rcpts == ["rcpt TO:<ελένη@example.gr>", "rcpt TO:<user@xn--bcher-kva.de>", "rcpt TO:<åsne@example.no>"]
    data = server.messages[0]
    assert 'To: "Ελένη Π." <ελένη@example.gr>, user@xn--bcher-kva.de'.encode() in data  # the dot: quoted
    assert "Cc: åsne@example.no".encode() in data
    assert b"=?utf-8?" not in data.split(b"\r\n\r\n")[0].split(b"Subject:")[0]  # no encoded word in an address
    parsed = message_from_string(data.decode("utf-8"), policy=policy.SMTPUTF8)
    assert parsed["To"].addresses[0].username == "ελένη"
    assert parsed["Subject"] == "Καλώς ήρθες"
    assert [part.get_content_type() for part in parsed.walk()] == ["multipart/alternative", "text/plain", "text/html"]
    assert "\r\n\r\nΓεια σου, Ελένη!\r\n".encode() in data and "<p>Γεια σου, Ελένη!</p>".encode() in data


def test_a_message_to_ascii_addresses_goes_djangos_way(smtp_server):
    server = smtp_server(extensions=())
    assert backend_for(server).send_messages([message(["reader@example.com", "user@bücher.de"])]) == 1
    mail_from = next(line for line in server.commands if line.upper().startswith(b"MAIL FROM"))
    assert b"SMTPUTF8" not in mail_from
    assert b"rcpt TO:<user@xn--bcher-kva.de>" in server.commands


def test_a_server_without_smtputf8_gets_nothing_and_the_send_fails_loudly(smtp_server):
    server = smtp_server(extensions=())
    with pytest.raises(smtplib.SMTPNotSupportedError):
        backend_for(server).send_messages([message(["åsne@example.no"])])
    assert not server.messages
    assert not any(line.upper().startswith(b"RCPT") for line in server.commands)
    # fail_silently: nothing sent, no exception
    assert backend_for(server, fail_silently=True).send_messages([message(["åsne@example.no"])]) == 0
    assert not server.messages


def test_djangos_own_backend_would_mangle_the_address():
    """Why SMTPBackend exists: Django writes the local part as an encoded word (its envelope
    address then names nobody)."""
    from django.core.mail.message import sanitize_address

    assert sanitize_address("åsne@example.no", "utf-8").startswith("=?utf-8?")
    assert utf8_address("åsne@example.no").addr_spec == "åsne@example.no"
    assert utf8_address(("Åsne", "a\u030asne@bücher.de")).addr_spec == "åsne@xn--bcher-kva.de"
    with pytest.raises(ValueError):
        utf8_address("åsne@example.no\r\nBcc: x@example.com")


@override_settings(EMAIL_SMTPUTF8=False)
def test_an_orders_address_in_any_script_is_taken_whatever_the_relay():
    """A shop order names its customer: it is recorded (and matched to the member) even when our
    relay could not write to the address."""
    from shop.payloads import PayloadError, normalise_email

    assert normalise_email(" A\u030aSNE@Example.no ") == "åsne@example.no"
    assert normalise_email("ελένη@例え.jp") == "ελένη@例え.jp"
    with pytest.raises(PayloadError):
        normalise_email("å sne@example.no")
