"""A web server on 127.0.0.1, in a thread, serving the saved article pages of tests/pages and
the misbehaviours a fetch must survive: redirects, a slow answer, an endless page, the wrong
content type, a 404. Nothing in the tests reaches further than this server."""

from __future__ import annotations

import socket
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGES = Path(__file__).resolve().parent / "pages"

# path -> (file, charset the page is sent in, Content-Type header)
ARTICLES = {
    "/en/harbour-traffic": ("en-harbour-traffic.html", "utf-8", "text/html; charset=utf-8"),
    # Re-encoded on the way out, the charset named only by the header.
    "/fr/budget": ("fr-budget-municipal.html", "windows-1252", "text/html; charset=windows-1252"),
    # Saved in windows-1251, the charset named only by the page's own <meta>.
    "/ru/schools": ("ru-new-schools.html", None, "text/html"),
}
BIG = 5 * 1024 * 1024 + 1


class PageServer:
    """`with PageServer() as server:` serves on 127.0.0.1 until the block ends; `url(path)` is
    an address on it. The handler's sleeps end when the server stops."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.requests: list[str] = []
        # Pages a test writes, and rewrites, to be served at /live/...: an article that
        # changes after its import.
        self.live: dict[str, bytes] = {}
        stopping, requests, live = self.stopping, self.requests, self.live

        class Handler(_Handler):
            stop = stopping
            seen = requests
            pages = live

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def publish(self, name: str, title: str, paragraphs: list[str]) -> str:
        """Serve a news page with this headline and text at /live/`name` (replacing what was
        there) and return its address."""
        self.live[f"/live/{name}"] = article_page(title, paragraphs)
        return self.url(f"/live/{name}")

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def article_page(title: str, paragraphs: list[str]) -> bytes:
    """A news page as a newsroom's site would serve it, for trafilatura to extract."""
    text = "".join(f"<p>{escape(paragraph)}</p>\n" for paragraph in paragraphs)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title>"
        '<meta name="author" content="Ana Ruiz"><meta property="og:site_name" '
        'content="The Harbour Herald"></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>{escape(title)}</h1>\n{text}</article>"
        "<footer>© The Harbour Herald</footer></body></html>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    stop: threading.Event
    seen: list[str]
    pages: dict[str, bytes]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append(self.path)
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        path = parts.path
        try:
            if path in self.pages:
                self._answer(200, self.pages[path], "text/html; charset=utf-8")
            elif path in ARTICLES:
                name, charset, content_type = ARTICLES[path]
                raw = (PAGES / name).read_bytes()
                if charset is not None:
                    raw = raw.decode("utf-8").encode(charset)
                self._answer(200, raw, content_type)
            elif path == "/redirect":
                # ?to=ADDRESS: one redirect there; &status= another redirect status.
                self._redirect(query["to"], int(query.get("status", 302)))
            elif path.startswith("/hops/"):
                # /hops/N redirects N times before the English article.
                left = int(path.rsplit("/", 1)[1])
                target = f"/hops/{left - 1}" if left > 1 else "/en/harbour-traffic"
                self._redirect(target, 301)
            elif path == "/loop":
                self._redirect("/loop", 302)
            elif path == "/slow":
                self.stop.wait(float(query.get("seconds", 5)))
                self._answer(200, b"<html><body><p>Too late.</p></body></html>", "text/html")
            elif path == "/big":
                self._answer(200, b"<p>" + b"x" * BIG + b"</p>", "text/html")
            elif path == "/endless":
                # No Content-Length: the size is only known by reading.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + b"y" * 65536 + b"</p>\n"
                for _ in range(BIG // len(chunk) + 2):
                    self.wfile.write(chunk)
            elif path == "/drip":
                # Answers at once, then one byte at a time: each read is quick, the whole is not.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><body><p>")
                while not self.stop.wait(0.05):
                    self.wfile.write(b"z")
                    self.wfile.flush()
            elif path == "/image":
                self._answer(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            elif path == "/no-text":
                self._answer(
                    200, b"<html><head><title>Empty</title></head><body></body></html>", "text/html"
                )
            else:
                self._answer(404, b"<html><body><p>Not found</p></body></html>", "text/html")
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a size or time limit): what it was refused is the test.
            pass

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
