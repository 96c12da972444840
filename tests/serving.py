"""A `docgen serve` started for a test as a user starts it (a process of its own on a free port), and the
requests a page makes of it."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 60


@dataclass
class Server:
    port: int
    process: subprocess.Popen

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, None, headers or {})

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # refused while we were still sending
            connection.request(method, path, body=body, headers=headers)
        try:
            response = connection.getresponse()
            return response.status, _joined(response.getheaders()), response.read()
        finally:
            connection.close()

    def json(
        self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None
    ) -> tuple[int, object]:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        sent = {"Content-Type": "application/json", **(headers or {})}
        status, _headers, answer = self.request(method, path, data, sent)
        return status, json.loads(answer)

    def post_form(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, object]:
        body, content_type = multipart(fields, files or {})
        status, _headers, answer = self.request("POST", path, body, {"Content-Type": content_type})
        return status, json.loads(answer)


def _joined(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Headers by lower-case name, a repeated one's values joined by ", " (as HTTP reads them)."""
    joined: dict[str, str] = {}
    for name, value in headers:
        joined[name.lower()] = f"{joined[name.lower()]}, {value}" if name.lower() in joined else value
    return joined


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends a form, and its content type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode() + b"\r\n"
        for name, value in fields.items()
    ]
    for name, (filename, data) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def start_server(workdir: Path, *options: str) -> Iterator[Server]:
    """`docgen serve` on a free port with ``options``, ready (its /healthz answers), stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "docgen.cli", "serve", "--port", str(port), "--workdir", str(workdir), *options]
    log = (workdir.parent / f"serve-{port}.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "DOCGEN_LANG": "zh"})
    server = Server(port, process)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"docgen serve exited with {server.process.returncode}")
        with contextlib.suppress(OSError):
            if server.get("/healthz")[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"docgen serve did not answer within {STARTUP_SECONDS} s")
