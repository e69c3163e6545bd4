"""Pages under concurrent load over loopback, with the standard library only.

`serve` starts the site as production serves it — gunicorn with one worker process per
core, four threads each (`WORKERS`) — in a subprocess against the benchmark database, without debug mode
(no query log) and over plain HTTP. `load` logs each of `clients` clients in once
through the real login form (its own session cookie), then has them request a page
`requests` times each, all at once from a thread pool; latencies are whole responses
(status line to last byte) on a fresh connection per request."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.databases import ROOT

WORKERS = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))
THREADS = int(os.environ.get("BENCH_THREADS", 4))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(database_url: str, log: Path) -> Iterator[int]:
    """A running server on a free loopback port (yields the port)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "dixian.settings",
        "DIXIAN_DEBUG": "0",
        "DIXIAN_HTTPS": "0",
        "DIXIAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DIXIAN_STATIC_MANIFEST": "0",
    }
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "dixian.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--threads",
                "4",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited ({proc.returncode}); see {log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/login/")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer in 120 s; see {log}") from None
                time.sleep(0.2)  # waiting for a subprocess to listen, not for a result
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Client:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 120.0

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for raw in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = raw.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data, dict(response.headers)
        finally:
            conn.close()

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", "/login/")
        match = CSRF_INPUT.search(page.decode())
        if status != 200 or match is None:
            raise RuntimeError(f"login page answered {status} without a CSRF token")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)})
        status, _, headers = self.request("POST", "/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed ({status})")


def percentiles(latencies: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds (inclusive method: exact at small samples)."""
    if not latencies:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    if len(latencies) == 1:
        only = round(latencies[0] * 1000, 1)
        return {"p50_ms": only, "p95_ms": only, "p99_ms": only, "max_ms": only}
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }


def load(port: int, path: str, *, username: str, password: str, clients: int, requests: int) -> dict:
    """`clients` logged-in clients requesting `path` `requests` times each, concurrently."""
    sessions = []
    for _ in range(clients):
        client = Client(port)
        client.login(username, password)
        sessions.append(client)
    warm = sessions[0].request("GET", path)[0]  # one untimed request (templates, caches)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def run(client: Client) -> None:
        start.wait()
        for _ in range(requests):
            began = time.perf_counter()
            try:
                status, _, _ = client.request("GET", path)
                error = "" if status == 200 else f"HTTP {status}"
            except OSError as exc:
                error = type(exc).__name__
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                if error:
                    errors.append(error)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, sessions))
    wall = time.perf_counter() - began
    return {
        "path": path,
        "user": username,
        "clients": clients,
        "requests": len(latencies),
        "warm_up_status": warm,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "throughput_rps": round(len(latencies) / wall, 2) if wall else 0.0,
        **percentiles(latencies),
    }
