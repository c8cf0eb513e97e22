"""A stand-in for the shop on 127.0.0.1: an HTTP server in a thread that answers the outbound
webhook with scripted statuses and, like a real shop should, keeps each event once per idempotency
key (only when it answers 2xx). The shop is the outside world, so a local fake is the right test
double: the site's real HTTP client, headers and bytes go over a real socket."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from shop import outbound


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class FakeShop:
    secret: str
    statuses: list = field(default_factory=list)  # answered in turn; 200 once they run out
    requests: list = field(default_factory=list)
    codes: dict = field(default_factory=dict)  # idempotency key -> data, kept once
    check_signature: bool = True
    retry_after: str | None = None

    def answer(self, received):
        if self.check_signature and not outbound.signature_check(
                self.secret, received.headers.get(outbound.TIMESTAMP_HEADER.lower()), received.body,
                received.headers.get(outbound.SIGNATURE_HEADER.lower())):
            return 401
        status = self.statuses.pop(0) if self.statuses else 200
        if 200 <= status < 300:
            key = received.headers.get(outbound.KEY_HEADER.lower())
            self.codes.setdefault(key, received.json["data"])
        return status


def start(secret):
    shop = FakeShop(secret=secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            received = Received({k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
            shop.requests.append(received)
            status = shop.answer(received)
            self.send_response(status)
            if shop.retry_after is not None and status in (429, 503):
                self.send_header("Retry-After", shop.retry_after)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"status": status}).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    shop.url = f"http://127.0.0.1:{server.server_port}/hooks/community"
    shop.server = server
    return shop


def stop(shop):
    shop.server.shutdown()
    shop.server.server_close()
