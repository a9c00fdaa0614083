"""The board page under load: one directive-period of 100 agencies added to a copy of a built
database, served by a real ``dondoc web`` process (uvicorn, as the CLI starts it) and asked for
by concurrent clients signed in as a coordinator; and the floor, a bare SELECT of the same rows
over as many psycopg connections."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import text
from sqlmodel import Session

from bench.shape import NOW
from dondoc.db import get_engine, transaction
from dondoc.models import Document, Obligation

DIRECTIVE, PERIOD, AGENCIES = "2/CT-BENCH", "2026", 100
USER, PASSWORD = "bench", "mat-khau-bench-1"
PAGE = f"/bang-theo-doi?directive={DIRECTIVE}&period={PERIOD}"
ROOT = Path(__file__).resolve().parent.parent
DUE = dt.date(2026, 11, 20)


@dataclass(frozen=True)
class Load:
    """Latencies of ``requests`` requests made by ``clients`` at once, after the warm-up."""

    latencies: list[float]
    seconds: float

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds


def add_directive_period(url: str) -> None:
    """A directive due 20/11/2026 for agencies 1-100 in period 2026: a quarter closed on time,
    a quarter late (both with their document), a quarter overdue, a quarter due soon; one sent
    reminder each. A coordinator account to sign in with."""
    from dondoc.web.accounts import add_user

    engine = get_engine(url)
    with Session(engine) as session:
        doc = Document(number=DIRECTIVE, year=2026, doc_type="CT", issuer="Bench",
                       issued_on=dt.date(2026, 1, 5), subject="Board page benchmark")  # fmt: skip
        session.add(doc)
        session.flush()
        assert doc.id is not None
        ob = Obligation(code="bao-cao-nam", kind="report", title="Báo cáo kết quả thực hiện năm",
                        phrase="trước ngày 20/11 hằng năm", recurrence="annual",
                        first_period=PERIOD, directive_id=doc.id, has_deadline=True)  # fmt: skip
        session.add(ob)
        session.commit()
        obligation_id = ob.id
    with engine.begin() as conn:
        for sql in _LOAD:
            conn.execute(text(sql), {"ob": obligation_id, "period": PERIOD, "due": DUE,
                                     "at": NOW, "n": AGENCIES})  # fmt: skip
        conn.execute(text("ANALYZE"))
    with transaction(engine) as session:
        add_user(session, name=USER, password=PASSWORD, role="coordinator", actor="bench")
    engine.dispose()


_STATUS = (
    "CASE a.id % 4 WHEN 0 THEN 'done_on_time' WHEN 1 THEN 'done_late' WHEN 2 THEN 'overdue'"
    " ELSE 'due_soon' END"
)
_LOAD = (
    "INSERT INTO task (obligation_id, agency_id, origin_agency_id, period, due_day, due_at,"
    " remind_from_at, status, created_at, updated_at) SELECT :ob, a.id, a.id, :period, :due,"
    f" :at, :at, {_STATUS}, :at, :at FROM agency a WHERE a.id <= :n",
    "INSERT INTO submission (task_id, document_number, received_on, recorded_by, recorded_at)"
    " SELECT t.id, 'BC-' || t.agency_id, CASE WHEN t.status = 'done_late' THEN :due + 3"
    " ELSE :due - 2 END, 'bench', :at FROM task t WHERE t.obligation_id = :ob"
    " AND t.status IN ('done_on_time', 'done_late')",
    "INSERT INTO notification (task_id, stage, contact_id, status, attempts, queued_at,"
    " next_attempt_at, sent_at) SELECT t.id, 'before-7', c.id, 'sent', 1, :at, :at, :at"
    " FROM task t JOIN contact c ON c.agency_id = t.agency_id AND c.role = 'focal'"
    " WHERE t.obligation_id = :ob",
)

# The page's rows, as the board reads them: the same columns (and the obligation's, which the
# board reads apart), joins and filters.
BARE = """
SELECT t.id, t.obligation_id, t.period, t.due_day, t.status, t.created_at, t.origin_agency_id,
  a.id, a.code, a.name, a.former_name, a.renamed_on, o.*, d.number, s.received_on,
  s.document_number, n.sent, n.waiting, n.given_up,
  (SELECT g.last_error FROM notification g WHERE g.task_id = t.id AND g.status = 'given_up'
   ORDER BY g.id DESC LIMIT 1)
FROM task t JOIN agency a ON a.id = t.agency_id JOIN obligation o ON o.id = t.obligation_id
JOIN document d ON d.id = o.directive_id
LEFT JOIN submission s ON s.task_id = t.id AND s.withdrawn_at IS NULL
LEFT JOIN (SELECT task_id, sum(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent,
  sum(CASE WHEN status IN ('queued', 'sending', 'delivering') THEN 1 ELSE 0 END) AS waiting,
  sum(CASE WHEN status = 'given_up' THEN 1 ELSE 0 END) AS given_up FROM notification
  WHERE task_id IN (SELECT t2.id FROM task t2 JOIN obligation o2 ON o2.id = t2.obligation_id
    JOIN document d2 ON d2.id = o2.directive_id WHERE d2.number = %(d)s AND t2.period = %(p)s)
  GROUP BY task_id) n ON n.task_id = t.id
WHERE d.number = %(d)s AND t.period = %(p)s
ORDER BY d.number, o.code, t.period, a.code
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(url: str) -> Iterator[str]:
    """``dondoc web`` on a free loopback port, as the command line starts it."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env |= {"DONDOC_DATABASE_URL": url, "DONDOC_WEB_SECRET": "b" * 48}
    with tempfile.TemporaryDirectory(prefix="bench_web_") as home:
        command = [sys.executable, "-m", "dondoc.cli", "web", "--port", str(port)]
        server = subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base, server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"dondoc web exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/dang-nhap", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("dondoc web did not answer in 60 s")


def signed_in(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as client:
        page = client.get("/dang-nhap").text
        token = re.search(r'name="csrftoken" value="([^"]+)"', page)
        assert token is not None, "no CSRF token on the login page"
        data = {"username": USER, "password": PASSWORD, "csrftoken": token.group(1)}
        done = client.post("/dang-nhap", data=data)
        if done.status_code != 303:
            raise RuntimeError(f"sign-in refused ({done.status_code})")
        return client.cookies


def web_load(base: str, path: str, cookies: httpx.Cookies, clients: int, requests: int) -> Load:
    """Each client a keep-alive connection of the standard library's ``http.client``: a load
    generator that costs the shared 2 cores as little as the bare SELECT's psycopg does (httpx
    spent more CPU per request than the page itself)."""
    address = urlsplit(base)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())

    def worker() -> Callable[[], Callable[[], None]]:
        conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=60)

        def one() -> Callable[[], None]:
            conn.request("GET", path, headers={"Cookie": cookie})
            got = conn.getresponse()
            body = got.read()

            def check() -> None:  # after the clock stops: the client's own work is not the page's
                if got.status != 200:
                    raise RuntimeError(f"GET {path}: {got.status}")
                if path == PAGE and body.count(b"<tr data-agency=") != AGENCIES:
                    raise RuntimeError(f"GET {path}: not the {AGENCIES} rows of the page")

            return check

        return one

    return run_load([worker() for _ in range(clients)], requests)


def bare_load(url: str, clients: int, requests: int) -> Load:
    import psycopg

    params = {"d": DIRECTIVE, "p": PERIOD}

    def worker() -> Callable[[], Callable[[], None]]:
        conn = psycopg.connect(url, autocommit=True)

        def one() -> Callable[[], None]:
            rows = conn.execute(BARE, params).fetchall()

            def check() -> None:
                if len(rows) != AGENCIES:
                    raise RuntimeError(f"bare SELECT: {len(rows)} rows")

            return check

        return one

    return run_load([worker() for _ in range(clients)], requests)


def run_load(workers: list[Callable[[], Callable[[], None]]], requests: int) -> Load:
    """Each worker in a thread of its own: a warm-up round of requests, then together
    ``requests`` timed ones, as fast as answers come. A request returns the check of its
    answer, run after its latency is taken (every answer is still checked)."""
    return _run_threads(workers, requests)


def _run_threads(workers: list[Callable[[], Callable[[], None]]], requests: int) -> Load:
    left, lock, latencies, errors = [requests], threading.Lock(), [], []
    start_line = threading.Barrier(len(workers) + 1)

    def loop(one: Callable[[], Callable[[], None]]) -> None:
        try:
            for _ in range(3):
                one()()
            start_line.wait()
            while True:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                began = time.perf_counter()
                check = one()
                latencies.append(time.perf_counter() - began)
                check()
        except Exception as exc:  # reported below, after every thread ends
            errors.append(exc)
            start_line.abort()

    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a warm-up failed: raised below
        start_line.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"load failed: {errors[0]!r}")
    return Load(latencies, time.perf_counter() - began)
