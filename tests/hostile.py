"""A reusable corpus of hostile input, for every feature's tests: what an attacker, a fuzzer or a
broken client sends in a URL, a query value or a form field. Each later feature's tests run its
views over these (see tests/website/test_hostile_urls.py for the pattern) and expect a 4xx or a
normal page, never a 5xx.

Strings are raw text; `url_part(text)` percent-encodes one for a path segment or a query value
(lone surrogates as the UTF-8 bytes a client would send, which are not valid UTF-8)."""

from urllib.parse import quote

HOSTILE_TEXT = [
    # quotes and full-text search syntax (SQLite FTS5, PostgreSQL tsquery)
    '"', 'x"', "'", "x' OR '1'='1", '"unterminated phrase', "*", "x*", "^x", "NEAR(a b)", "AND", "OR x", "NOT",
    "a AND OR b", "-x", "x:y", "title:x", "(((", ")", "{x}", "[x]", "x~", "&|!", "<->", ":*",
    # bytes databases refuse or mangle
    "\x00", "a\x00b", "\x01\x1f\x7f", "\ud800", "x\udfff",
    # markup and escapes
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "%", "%zz", "%00", "%2F", "\\",
    # paths and hosts
    "..", "../../etc/passwd", "//evil.example", "https://evil.example/", "/\\evil.example",
    # sizes and scripts
    "a" * 10_000, "ä" * 3_000, "😀" * 100, "\u202e\u200b", "καλοκαίρι", "nyár", "\r\nSet-Cookie: x=1",
    # numbers
    "9" * 30, "-1", "0", "1e9", "NaN", "Infinity", " ", "\t",
]

# What an <int:...> converter matches: only digits reach the view.
HOSTILE_NUMBERS = ["0", "00001", "9" * 19, "9" * 30, "18446744073709551616"]


def url_part(text):
    """`text` percent-encoded as one path segment or query value."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")
