"""Server under load on loopback: 50 concurrent clients reading a rendered blueprint, and saving.

Starts ``blueprint serve``'s app in a separate process (SQLite, then PostgreSQL when one
answers at 127.0.0.1:5432 in a schema made for the run and dropped after), drives it with an
asyncio load generator, and prints p50/p95 latencies. Each client is a person at work: it sends
a request, waits for the answer, thinks for a while (exponential, mean ``THINK``) and sends the
next; the saving clients each edit their own blueprint, carrying the ETag from save to save. The peer is the same server's
``/healthz`` (one ``SELECT 1``, no authentication) measured under the same load: the ratio says
what authentication, access checks and the rendered-bytes lookup cost on top of the bare stack.
Targets (issue 9): rendered GET p95 < 50 ms with 50 clients, save p95 < 100 ms.

The load generator shares the machine with the server, so its own CPU time is part of what is
measured. httpx costs about as much CPU per request as the server itself; the default client
here is a lean one (HTTP/1.1 over asyncio streams, one kept-alive connection per client), so
that the figures are the server's. ``--client httpx`` runs the same load through httpx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

import httpx

from service_blueprint.templates import template_text

CLIENTS = 50
THINK = 1.0  # mean seconds a reading client waits between its requests (exponential, seeded)
SAVE_THINK = 5.0  # the same for a saving client: people save far less often than they look
PHASE = 15.0  # seconds each phase runs
PG = os.environ.get("BLUEPRINT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "bench-password-1"
# uvicorn closes a connection idle for 5 s; a client that reuses one at that moment gets no answer
# (httpx then fails with "Server disconnected"). Both clients give idle connections up a little sooner.
KEEPALIVE = 4.0

SERVER = """
import sys
from pathlib import Path
from service_blueprint.server.config import Settings
from service_blueprint.server.serve import address, bind, prepare, run
settings = Settings(data_dir=Path(sys.argv[1]), database_url=sys.argv[2] or None)
prepared = prepare(settings, admin="admin", admin_password=sys.argv[3], seed=True)
sock = bind("127.0.0.1", 0)
print(address(sock), flush=True)
run(prepared, sock, log_level="warning")
"""


def start(data: Path, url: str | None) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(data), url or "", PASSWORD],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("http://"):
        proc.kill()
        raise RuntimeError("the server did not start")
    return proc, line


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


class Reply(Protocol):
    status_code: int
    headers: Any
    text: str


class Lean:
    """One kept-alive HTTP/1.1 connection: write a request, read the answer by Content-Length;
    a connection idle for KEEPALIVE seconds, or closed by the server, is opened again.

    Only what this server sends is understood (no chunked bodies, no redirects); anything else
    is an error, so it cannot quietly measure something other than a complete response.
    """

    class Headers(dict[str, str]):
        """Header fields by lower-case name; looked up in any case, as in httpx."""

        def __getitem__(self, key: str) -> str:
            return super().__getitem__(key.lower())

        def get(self, key: str, default: Any = None) -> Any:
            return super().get(key.lower(), default)

    class Answer:
        def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.status_code, self.headers, self.body = status, headers, body

        @property
        def text(self) -> str:
            return self.body.decode("utf-8", "replace")

    def __init__(self, base: str, token: str) -> None:
        self.host, self.port = base.removeprefix("http://").rsplit(":", 1)
        self.auth = f"Authorization: Bearer {token}\r\n"
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.used = 0.0  # when the connection last answered

    async def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Answer:
        data = b"" if body is None else json.dumps(body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        if body is not None:
            extra += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        message = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.auth}{extra}\r\n".encode() + data
        if self.streams is not None and (self.streams[0].at_eof() or time.monotonic() - self.used > KEEPALIVE):
            await self.aclose()
        reused = self.streams is not None
        try:
            return await self._exchange(message)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            # A kept-alive connection the server closed anyway just as the request went out:
            # nothing was answered, so nothing was done; send it once more on a new one.
            await self.aclose()
            if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            return await self._exchange(message)

    async def _exchange(self, message: bytes) -> Answer:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, int(self.port))
        reader, writer = self.streams
        writer.write(message)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        fields = self.Headers((k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in head[1:] if line))
        if "content-length" not in fields:
            raise RuntimeError(f"an answer without Content-Length ({head[0]})")
        answer = self.Answer(status, fields, await reader.readexactly(int(fields["content-length"])))
        self.used = time.monotonic()
        if fields.get("connection", "").lower() == "close":
            await self.aclose()
        return answer

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post(self, path: str, json: Any) -> Answer:
        return await self.request("POST", path, json)

    async def put(self, path: str, json: Any, headers: dict[str, str]) -> Answer:
        return await self.request("PUT", path, json, headers)

    async def aclose(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def load(base: str, token: str, lean: bool) -> dict[str, list[float]]:
    """Three phases, each with CLIENTS clients for PHASE seconds: the peer, rendered GETs, saves."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS, keepalive_expiry=KEEPALIVE)
    times: dict[str, list[float]] = {"healthz": [], "render": [], "save": []}
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as shared:
        conns: list[Any] = [Lean(base, token) for _ in range(CLIENTS)] if lean else [shared] * CLIENTS
        c = conns[0]
        render = "/api/workspaces/templates/blueprints/hotel-stay/render/svg"
        assert (await c.get(render)).status_code == 200  # the first drawing fills the cache
        text = template_text("clinic-visit")
        for k in range(CLIENTS):
            r = await c.post("/api/workspaces/templates/blueprints", json={"name": f"bench-{k}", "text": text})
            assert r.status_code == 201, r.text

        async def client(k: int, key: str) -> None:
            rng = random.Random(k)
            c = conns[k]
            path = f"/api/workspaces/templates/blueprints/bench-{k}"
            etag = (await c.get(path)).headers["ETag"] if key == "save" else ""
            await asyncio.sleep(rng.uniform(0, THINK))  # clients do not start in step
            deadline = time.perf_counter() + PHASE
            n = 0
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                r: Reply
                if key == "save":
                    r = await c.put(path, json={"text": text + f"# {n}\n", "message": f"save {n}"},
                                    headers={"If-Match": etag})
                    etag = r.headers.get("ETag", etag)
                else:
                    r = await c.get(render if key == "render" else "/healthz")
                times[key].append(time.perf_counter() - t)
                assert r.status_code == 200, r.text
                n += 1
                await asyncio.sleep(rng.expovariate(1 / (SAVE_THINK if key == "save" else THINK)))

        try:
            for key in times:
                await asyncio.gather(*(client(k, key) for k in range(CLIENTS)))
        finally:
            if lean:
                for conn in conns:
                    await conn.aclose()
    return times


def bench(label: str, url: str | None, lean: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start(Path(tmp) / "data", url)
        try:
            token = httpx.post(f"{base}/api/auth/token", json={"username": "admin", "password": PASSWORD}).json()["token"]
            times = asyncio.run(load(base, token, lean))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    peer = pct(times["healthz"], 0.95)
    client = "lean client" if lean else "httpx client"
    print(f"{label} ({client}): {CLIENTS} concurrent clients on loopback for {PHASE:g} s per phase; between requests each "
          f"waits ~{THINK:g} s when reading, ~{SAVE_THINK:g} s when saving (exponential): "
          f"{len(times['render']) / PHASE:.0f} GETs/s, {len(times['save']) / PHASE:.0f} saves/s served")
    for key, target in (("render", 0.050), ("save", 0.100), ("healthz", None)):
        p50, p95 = pct(times[key], 0.5) * 1000, pct(times[key], 0.95) * 1000
        verdict = "" if target is None else f"  (target p95 < {target * 1000:.0f} ms: {'met' if p95 < target * 1000 else 'MISSED'})"
        print(f"  {key:8s} n={len(times[key]):5d}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms{verdict}")
    print(f"  rendered GET p95 / healthz p95 (peer, same run): {pct(times['render'], 0.95) / peer:.2f}x")


def postgres_schema() -> tuple[str, str] | None:
    try:
        import sqlalchemy

        engine = sqlalchemy.create_engine(PG, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        schema = f"sbbench_{secrets.token_hex(6)}"
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        return schema, f"{PG}?options=-csearch_path%3D{schema}"
    except Exception as exc:
        print(f"PostgreSQL: not reachable at {PG} ({type(exc).__name__}); skipped")
        return None


def drop_schema(schema: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(PG, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", choices=["lean", "httpx"], default="lean",
                        help="the load generator's HTTP client (default: lean; see above)")
    parser.add_argument("--database", choices=["both", "sqlite", "postgresql"], default="both")
    args = parser.parse_args()
    lean = args.client == "lean"
    if args.database in ("both", "sqlite"):
        bench("SQLite", None, lean)
    pg = postgres_schema() if args.database in ("both", "postgresql") else None
    if pg is not None:
        try:
            bench("PostgreSQL", pg[1], lean)
        finally:
            drop_schema(pg[0])


if __name__ == "__main__":
    main()
