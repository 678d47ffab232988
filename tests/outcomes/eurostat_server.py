"""A loopback stand-in for Eurostat's SDMX 2.1 API, serving the recorded bodies in ``fixtures/eurostat``.

It answers the three requests the ``eurostat`` package makes (dataflow, data structure, data), filters the
TSV rows by the SDMX key and the ``startPeriod``/``endPeriod`` years as Eurostat does, gzips the data
answer, and records every path it was asked for.
"""

from __future__ import annotations

import gzip
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "eurostat"
PREFIX = "/eurostat/api/dissemination/sdmx/2.1/"
FAULT = (b'<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">'
         b"<S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>No results found</faultstring>"
         b"</S:Fault></S:Body></S:Envelope>")


def _filter_tsv(text: str, key: str, start: int | None, end: int | None) -> str | None:
    lines = [line for line in text.split("\r\n") if line]
    header = re.split(r"\t", lines[0])
    dims = header[0].split("\\")[0].split(",")
    years = [int(h.strip()) for h in header[1:]]
    keep_years = [i for i, y in enumerate(years) if (start is None or y >= start) and (end is None or y <= end)]
    wanted = key.split(".") if key else [""] * len(dims)
    out = [header[0] + "\t" + "\t".join(header[1 + i] for i in keep_years)]
    for line in lines[1:]:
        cells = line.split("\t")
        codes = cells[0].split(",")
        if all(not w or c in w.split("+") for c, w in zip(codes, wanted)):
            out.append(cells[0] + "\t" + "\t".join(cells[1 + i] for i in keep_years))
    if len(out) == 1 or not keep_years:
        return None
    return "\r\n".join(out) + "\r\n"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _fixture(self, path: Path, kind: str) -> None:
        if path.exists():
            return self._send(200, path.read_bytes(), kind)
        return self._send(404, FAULT, "application/xml")

    def do_GET(self):  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        self.server.requests.append(self.path)
        if not parts.path.startswith(PREFIX):
            return self._send(404, FAULT, "application/xml")
        rest = parts.path[len(PREFIX):].split("/")
        params = parse_qs(parts.query)
        xml = "application/vnd.sdmx.structure+xml;version=2.1"
        if rest[0] == "dataflow" and len(rest) >= 3:
            path = FIXTURES / f"{rest[2].lower()}.dataflow.xml"
            return self._fixture(path, xml)
        if rest[0] == "datastructure" and len(rest) >= 3:
            path = FIXTURES / f"{rest[2].lower()}.dsd.xml"
            return self._fixture(path, xml)
        if rest[0] == "data" and len(rest) >= 2:
            path = FIXTURES / f"{rest[1].lower()}.tsv"
            if not path.exists():
                return self._send(404, FAULT, "application/xml")
            start = int(params["startPeriod"][0]) if "startPeriod" in params else None
            end = int(params["endPeriod"][0]) if "endPeriod" in params else None
            body = _filter_tsv(path.read_bytes().decode("utf-8"), rest[2] if len(rest) > 2 else "", start, end)
            if body is None:
                return self._send(404, FAULT, "application/xml")
            return self._send(200, gzip.compress(body.encode("utf-8")), "application/octet-stream")
        return self._send(404, FAULT, "application/xml")


class EurostatServer:
    """``with EurostatServer() as server: server.url`` — the SDMX 2.1 base address on 127.0.0.1."""

    def __enter__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{PREFIX}"

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
