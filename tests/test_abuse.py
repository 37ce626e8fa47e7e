"""Abuse suite (issue 5): hostile requests against a LIVE server — real gunicorn, real sockets, real forks.

The module starts its own server (``python -m kg serve`` on a free loopback port, two workers, a 2 s query
time limit, and one extra named graph of hostile literals and IRIs written to a temporary folder), because the
shared ``live_server`` fixture (tests/live.py) runs with the default 10 s limit: runaway cases would cost ten
times as much. Every case asserts the exact status and a time bound; after every case an autouse fixture
checks that the server is healthy, that the data is unchanged (the triple counts of /healthz and a
``SELECT (COUNT(*) …)`` per graph, against the counts taken before the first case), that the loopback canary
saw no connection, and that no sandboxed query process is left running (the mirror's long-lived children,
which answer stored queries, wait idle for the next one). Every response is checked for the
security headers (Content-Security-Policy, X-Content-Type-Options: nosniff, Referrer-Policy) and every error
body for tracebacks and file paths.

The canary is a TCP listener on 127.0.0.1 (an ephemeral port) that would answer any request with a valid
Turtle document: had the server fetched a SERVICE, FROM, default-graph-uri or named-graph-uri IRI, the
canary would record it (and the triple counts would change).

Requests that break gunicorn's own limits (a request line over 8 190 bytes, a header field over 8 190 bytes,
more than 100 header fields, control characters in a header) are answered by gunicorn before the app runs:
their exact status is asserted, but they carry none of the app's security headers.

The 50-client case varies the stored and ad-hoc queries so that they miss the response cache and really run
in the sandbox: with the 2 s limit on a small machine, a stored query that needs 0.2-0.3 s of CPU alone
(search-label) can be stopped with 503 when eight of them share two CPUs.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from kg.query.sandbox import cpu_seconds
from kg.stores.processes import free_port, stop_process
from kg.web.server import THREADS

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parent.parent
LIMIT = 2.0  # --query-timeout of the server under test
WORKERS = 2
BOUND = LIMIT + 1.0  # "a 503 within the limit + 1 s"
QUICK = 1.0  # refusals that run nothing (size, encoding, update, SERVICE, parameters)
START_TIMEOUT = 120.0
XSS_GRAPH = "urn:x-abuse:hostile"
XSS_TRIPLES = 13  # in HOSTILE_TTL below
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
JSON_RESULTS = "application/sparql-results+json"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
MSG_SERVICE = "SERVICE is not allowed: queries can only use the graphs held by this endpoint"
MSG_UPDATE = "updates are not allowed: this endpoint is read-only"
MSG_NESTED = "the query is nested too deeply"
MSG_TIMEOUT = f"the query took longer than {LIMIT:g} s and was stopped"
MSG_TOO_LONG = "the query text is longer than 100 KB"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
# Leaks that must never reach a client: a Python traceback, a source file, the repository or the venv.
LEAKS = re.compile(
    r"Traceback|File \"|site-packages|\.venv|[\w/]+\.py\b|" + re.escape(str(REPO)), re.IGNORECASE
)

# The hostile graph: markup in literals (a label that sorts first, so it becomes medical-coder's display
# label everywhere), attribute-breaking quotes, javascript:/data:/vbscript: IRIs as objects and as a subject
# linking to an existing entity.
HOSTILE_TTL = r"""
@prefix id:     <https://w3id.org/careers-kg/id/> .
@prefix ckg:    <https://w3id.org/careers-kg/ontology#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .

id:medical-coder
    skos:prefLabel "\"><script>alert('xss-label')</script>"@en ;
    skos:altLabel "<script>alert('xss-alt')</script>"@en , "<img src=x onerror=alert('xss-img')>"@en ;
    rdfs:comment "\" onmouseover=\"alert('xss-attr')\" x=\"" ;
    dct:description "</p><iframe src=\"javascript:alert('xss-iframe')\"></iframe>"@en ;
    schema:url "javascript:alert('xss-url')"^^xsd:anyURI ;
    rdfs:seeAlso <javascript:alert('xss-iri')> ,
        <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==> , <vbscript:msgbox(1)> ;
    schema:sameAs <JaVaScRiPt:alert(document.cookie)> ;
    ckg:source <javascript:alert('xss-source')> .

<javascript:alert('xss-subject')>
    skos:prefLabel "<svg onload=alert('xss-svg')>"@en ;
    ckg:relatedProfession id:medical-coder .
"""
# What the hostile graph puts on pages, as the text a reader sees (so: rendered, and escaped).
SHOWN = {
    "label": "\"><script>alert('xss-label')</script>",
    "alt": "<script>alert('xss-alt')</script>",
}
SECRET_TTL = "<urn:x-abuse:secret> <urn:x-abuse:p> 'read from disk' , 'two' , 'three' .\n"


# --- HTTP -------------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    elapsed: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Server:
    """The server under test: where it listens, its process, and raw HTTP calls to it."""

    def __init__(self, port: int, proc: subprocess.Popen, log: Path) -> None:
        self.port = port
        self.proc = proc
        self.log = log

    def call(
        self,
        method: str,
        target: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> Reply:
        """One request on a fresh connection; *target* is sent byte for byte (percent-escapes and all)."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            start = time.monotonic()
            conn.putrequest(method, target, skip_accept_encoding=True)
            for key, value in {"Accept": "application/json", **(headers or {})}.items():
                conn.putheader(key, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            data = response.read()
            return Reply(response.status, response.headers, data, time.monotonic() - start)
        finally:
            conn.close()

    def get(self, target: str, **kw) -> Reply:
        return self.call("GET", target, **kw)

    def sparql_get(self, query: str, extra: str = "", accept: str = JSON_RESULTS) -> Reply:
        return self.get(f"/sparql?query={quote(query, safe='')}{extra}", headers={"Accept": accept})

    def sparql_form(self, fields: list[tuple[str, str]] | dict, accept: str = JSON_RESULTS) -> Reply:
        body = urlencode(fields)
        return self.call("POST", "/sparql", body, {"Content-Type": FORM, "Accept": accept})

    def sparql_direct(self, query: str, accept: str = JSON_RESULTS) -> Reply:
        return self.call("POST", "/sparql", query, {"Content-Type": DIRECT, "Accept": accept})


def check(reply: Reply, status: int, within: float = QUICK, *, message: str | None = None) -> Reply:
    """The exact status, the time bound, the security headers, and no leak in an error body."""
    assert reply.status == status, f"expected {status}, got {reply.status}: {reply.text[:300]}"
    assert reply.elapsed <= within, f"answered in {reply.elapsed:.2f} s, bound {within:.2f} s"
    for name in SECURITY_HEADERS:
        assert reply.headers.get(name), f"{name} missing on a {reply.status}"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    if status >= 400:
        assert not LEAKS.search(reply.text), f"the error body leaks: {reply.text[:300]}"
        assert len(reply.body) < 4096, "an error is a short message"
        if "json" in (reply.headers.get("Content-Type") or ""):
            doc = reply.json()
            assert doc["status"] == status and doc["message"]
            if message is not None:
                assert doc["message"] == message
        elif message is not None:
            assert message in reply.text
    if status == 503:
        assert reply.headers.get("Retry-After")
    return reply


def count(reply: Reply) -> int:
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


def bindings(reply: Reply) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in reply.json()["results"]["bindings"]]


# --- the canary ---------------------------------------------------------------------------------------------


class Canary:
    """A loopback listener recording every connection (and answering with Turtle, as a real target would)."""

    BODY = b"<urn:canary:s> <urn:canary:p> <urn:canary:o> .\n"
    RESPONSE = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
    )

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="canary", daemon=True)
        self._thread.start()

    def url(self, path: str = "graph.ttl") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1.0)
                try:
                    self.hits.append(conn.recv(4096) or b"(connected)")
                    conn.sendall(self.RESPONSE)
                except OSError:
                    self.hits.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


# --- the server ---------------------------------------------------------------------------------------------


def serve_argv(port: int, graphs: list[tuple[str, Path]]) -> list[str]:
    argv = [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(WORKERS), "--query-timeout", f"{LIMIT:g}"]
    for iri, path in graphs:
        argv += ["--named-graph", f"{iri}={path}"]
    return argv


stop = stop_process


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) for every process we can see."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        out[int(entry)] = (int(fields[1]), fields[0])
    return out


def sandbox_children(master: int) -> list[int]:
    """Live (not zombie) grandchildren of the gunicorn master: sandboxed query processes of the workers."""
    procs = _processes()
    workers = {pid for pid, (ppid, _s) in procs.items() if ppid == master}
    return [pid for pid, (ppid, state) in procs.items() if ppid in workers and state != "Z"]


def working_sandbox_children(master: int) -> list[int]:
    """The sandboxed query processes still working: their CPU time grows over 0.2 s. The long-lived children
    that answer stored queries on the memory store's Oxigraph mirror (kg/stores/mirror.py) stay between
    requests, idle on their request pipe, at most one per worker thread: they are not left over."""
    before = {pid: cpu_seconds(pid) for pid in sandbox_children(master)}
    time.sleep(0.2)
    return [pid for pid in sandbox_children(master) if cpu_seconds(pid) != before.get(pid)]


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    try:
        yield listener
    finally:
        listener.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("abuse")
    hostile = folder / "hostile.ttl"
    hostile.write_text(HOSTILE_TTL, encoding="utf-8")
    secret = folder / "secret.ttl"
    secret.write_text(SECRET_TTL, encoding="utf-8")
    return {"folder": folder, "hostile": hostile, "secret": secret}


@pytest.fixture(scope="module")
def server(files: dict[str, Path], request: pytest.FixtureRequest) -> Iterator[Server]:
    port = free_port()
    cache = (
        request.config.cache.mkdir("abuse-build-cache")
        if getattr(request.config, "cache", None)
        else files["folder"]
    )
    env = {**os.environ, "CAREERS_KG_CACHE": str(cache)}
    env.pop("CAREERS_KG_QUERIES", None)  # the real stored queries: every parameter gets attacked
    log = files["folder"] / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            serve_argv(port, [(XSS_GRAPH, files["hostile"])]),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    srv = Server(port, proc, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                if srv.get("/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"no /healthz within {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield srv
    finally:
        stop(proc)


@dataclass
class Snapshot:
    healthz: dict[str, int]
    total: int
    graphs: dict[str, int] = field(default_factory=dict)


def snapshot(srv: Server) -> Snapshot:
    health = check(srv.get("/healthz"), 200)
    assert health.json()["status"] == "ok"
    total = count(check(srv.sparql_get(COUNT_ALL), 200, BOUND))
    graphs = {r["g"]: int(r["n"]) for r in bindings(check(srv.sparql_get(COUNT_GRAPHS), 200, BOUND))}
    return Snapshot(health.json()["triples"], total, graphs)


@pytest.fixture(scope="module")
def baseline(server: Server) -> Snapshot:
    snap = snapshot(server)
    assert snap.healthz[XSS_GRAPH] == XSS_TRIPLES == snap.graphs[XSS_GRAPH]
    assert snap.total == snap.healthz["union"] > 0
    return snap


@pytest.fixture(autouse=True)
def unchanged_and_healthy(server: Server, baseline: Snapshot, canary: Canary) -> Iterator[None]:
    """After every case: healthy, the data as before, the canary untouched, no query process left over."""
    yield
    assert server.proc.poll() is None, "the server died"
    assert snapshot(server) == baseline
    assert canary.hits == [], f"the server connected to the canary: {canary.hits[:3]}"
    deadline = time.monotonic() + 2.0
    while (left := working_sandbox_children(server.proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"sandboxed query processes still running after the case: {left}"
    assert len(sandbox_children(server.proc.pid)) <= WORKERS * THREADS  # the mirror's idle children at most


# --- 1. nothing leaves the machine: SERVICE, FROM, protocol graph IRIs, file: -----------------------------

SERVICE_QUERIES = {
    "plain": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "subquery": "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "filter exists": "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "filter not exists": "ASK {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "optional in describe": "DESCRIBE ?s WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "variable endpoint": "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "unicode-escaped keyword": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "bind exists": "SELECT * WHERE {{ BIND(EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} AS ?x) }}",
}


@pytest.mark.parametrize("how", ["get", "form", "direct"])
@pytest.mark.parametrize("shape", SERVICE_QUERIES)
def test_service_is_refused_and_nothing_is_fetched(server, canary, shape, how):
    query = SERVICE_QUERIES[shape].format(url=canary.url("sparql"))
    reply = {
        "get": lambda: server.sparql_get(query, accept="*/*"),
        "form": lambda: server.sparql_form({"query": query}, accept="*/*"),
        "direct": lambda: server.sparql_direct(query, accept="*/*"),
    }[how]()
    check(reply, 400, message=MSG_SERVICE)


def _from(url: str) -> dict[str, str]:
    """Dataset descriptions naming *url*, each with a query that counts what it would see."""
    return {
        "FROM": f"SELECT (COUNT(*) AS ?n) FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "FROM NAMED": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "GRAPH": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{url}> {{ ?s ?p ?o }} }}",
    }


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED", "GRAPH"])
def test_dataset_clause_to_loopback_is_an_empty_graph(server, canary, clause):
    reply = check(server.sparql_get(_from(canary.url())[clause]), 200)
    assert count(reply) == 0


@pytest.mark.parametrize("how", ["get", "form"])
@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_protocol_graph_uri_to_loopback_is_an_empty_graph(server, canary, param, how):
    query = COUNT_ALL if param == "default-graph-uri" else COUNT_NAMED
    fields = [("query", query), (param, canary.url()), (param, canary.url("other.ttl"))]
    if how == "get":
        reply = server.get("/sparql?" + urlencode(fields), headers={"Accept": JSON_RESULTS})
    else:
        reply = server.sparql_form(fields)
    assert count(check(reply, 200)) == 0


def test_describe_of_a_loopback_iri_fetches_nothing(server, canary):
    reply = check(server.sparql_get(f"DESCRIBE <{canary.url()}>", accept="application/n-triples"), 200)
    assert reply.body.strip() == b""


def _file_iris(files: dict[str, Path]) -> dict[str, str]:
    return {
        "secret file": files["secret"].as_uri(),
        "/etc/passwd": "file:///etc/passwd",
        "file://localhost": "file://localhost" + str(files["secret"]),
        "relative to the server's cwd": "data/careers.ttl",
        "repo data by absolute path": (REPO / "data" / "careers.ttl").as_uri(),
    }


@pytest.mark.parametrize(
    "target",
    [
        "secret file",
        "/etc/passwd",
        "file://localhost",
        "relative to the server's cwd",
        "repo data by absolute path",
    ],
)
@pytest.mark.parametrize("via", ["FROM", "FROM NAMED", "default-graph-uri", "named-graph-uri"])
def test_file_iris_are_never_read(server, files, target, via):
    iri = _file_iris(files)[target]
    if via in ("FROM", "FROM NAMED"):
        reply = server.sparql_get(_from(iri)[via])
    else:
        query = COUNT_ALL if via == "default-graph-uri" else COUNT_NAMED
        reply = server.get(
            "/sparql?" + urlencode({"query": query, via: iri}), headers={"Accept": JSON_RESULTS}
        )
    assert count(check(reply, 200)) == 0


# --- 2. read-only: updates through every route and media type -----------------------------------------------

INSERT = "INSERT DATA { <urn:x-abuse:s> <urn:x-abuse:p> <urn:x-abuse:o> }"


def _update_requests(canary_url: str) -> dict[str, tuple[str, str, bytes | None, dict[str, str], int]]:
    """name -> (method, target, body, headers, expected status)."""
    load = f"LOAD <{canary_url}>"
    q = lambda text: quote(text, safe="")  # noqa: E731
    form = {"Content-Type": FORM}
    return {
        "GET query=INSERT": ("GET", f"/sparql?query={q(INSERT)}", None, {}, 400),
        "GET query=LOAD canary": ("GET", f"/sparql?query={q(load)}", None, {}, 400),
        "GET query=lower-case insert": ("GET", f"/sparql?query={q(INSERT.lower())}", None, {}, 400),
        "GET query=\\u-escaped INSERT": (
            "GET",
            f"/sparql?query={q(chr(92) + 'u0049NSERT' + INSERT[6:])}",
            None,
            {},
            400,
        ),
        "GET query=PREFIX+comment+DROP": (
            "GET",
            f"/sparql?query={q('# c' + chr(10) + 'PREFIX a: <urn:a> DROP ALL')}",
            None,
            {},
            400,
        ),
        "GET update=": ("GET", f"/sparql?update={q(INSERT)}", None, {}, 403),
        "POST form update=": ("POST", "/sparql", f"update={q(INSERT)}".encode(), form, 403),
        "POST form update=LOAD canary": ("POST", "/sparql", f"update={q(load)}".encode(), form, 403),
        "POST form query=DELETE WHERE": (
            "POST",
            "/sparql",
            f"query={q('DELETE WHERE { ?s ?p ?o }')}".encode(),
            form,
            400,
        ),
        "POST form using-graph-uri": (
            "POST",
            "/sparql",
            f"update={q(INSERT)}&using-graph-uri=urn%3Ag".encode(),
            form,
            403,
        ),
        "POST sparql-update": ("POST", "/sparql", INSERT.encode(), {"Content-Type": UPDATE}, 403),
        "POST sparql-update CLEAR ALL": ("POST", "/sparql", b"CLEAR ALL", {"Content-Type": UPDATE}, 403),
        "POST sparql-update to /sparql/": (
            "POST",
            "/sparql/",
            INSERT.encode(),
            {"Content-Type": UPDATE},
            403,
        ),
        "POST sparql-query with INSERT": ("POST", "/sparql", INSERT.encode(), {"Content-Type": DIRECT}, 400),
        "POST sparql-query with WITH…DELETE": (
            "POST",
            "/sparql",
            b"WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
            {"Content-Type": DIRECT},
            400,
        ),
        "POST text/plain": ("POST", "/sparql", INSERT.encode(), {"Content-Type": "text/plain"}, 415),
        "POST no content type": ("POST", "/sparql", INSERT.encode(), {}, 415),
        "POST stored query": ("POST", "/queries/search-label", f"update={q(INSERT)}".encode(), form, 405),
        "POST stored query .json": (
            "POST",
            "/queries/professions.json",
            INSERT.encode(),
            {"Content-Type": DIRECT},
            405,
        ),
        "POST entity page": ("POST", "/id/medical-coder", INSERT.encode(), {"Content-Type": UPDATE}, 405),
        "PUT /sparql": ("PUT", "/sparql", INSERT.encode(), {"Content-Type": UPDATE}, 405),
        "DELETE /sparql": ("DELETE", "/sparql", None, {}, 405),
        "PATCH /id/medical-coder": ("PATCH", "/id/medical-coder", b"x", {"Content-Type": "text/turtle"}, 405),
        "PUT /export.ttl": (
            "PUT",
            "/export.ttl",
            b"<urn:a> <urn:b> <urn:c> .",
            {"Content-Type": "text/turtle"},
            405,
        ),
    }


UPDATE_CASES = list(_update_requests("http://127.0.0.1:9/x"))


@pytest.mark.parametrize("name", UPDATE_CASES)
def test_updates_are_refused_on_every_route(server, canary, name):
    method, target, body, headers, status = _update_requests(canary.url())[name]
    reply = check(server.call(method, target, body, headers), status)
    if status in (400, 403) and target.startswith("/sparql"):
        assert reply.json()["message"].startswith(MSG_UPDATE)


# --- 3. runaway queries: stopped at the limit with 503, the worker and the others unharmed ----------------

RUNAWAYS = {
    "cartesian product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded property paths": "SELECT (COUNT(*) AS ?n) WHERE { ?a (<u:p>|!<u:p>)* ?b . ?c (^!<u:q>)+ ?d }",
    "catastrophic regex": 'SELECT * WHERE { BIND("' + "a" * 40 + '!" AS ?s) FILTER(REGEX(?s, "^(a+)+$")) }',
    # 78 KB, under the 100 KB cap: pyparsing alone needs ~4.7 s for it on the reference machine
    "20 000-term VALUES": "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { "
    + " ".join(str(i % 1000) for i in range(20_000))
    + " } }",
}


@pytest.mark.parametrize("name", RUNAWAYS)
def test_runaway_query_is_stopped_with_503(server, name):
    query = RUNAWAYS[name]
    reply = server.sparql_form({"query": query}) if len(query) > 4000 else server.sparql_get(query)
    check(reply, 503, BOUND, message=MSG_TIMEOUT)
    assert reply.elapsed >= LIMIT - 0.1  # it was the time limit, not something else


def test_healthz_and_stored_queries_answer_during_two_runaways(server):
    results: list[Reply] = []
    runaways = [
        threading.Thread(target=lambda: results.append(server.sparql_get(RUNAWAYS["cartesian product"])))
        for _ in range(2)
    ]
    for t in runaways:
        t.start()
    time.sleep(0.3)  # both are running now
    health, stored = [], []
    while any(t.is_alive() for t in runaways):
        health.append(check(server.get("/healthz"), 200))
        # a fresh Accept each time: the response cache cannot answer, the stored query runs in the sandbox
        accept = f"application/json, application/x-nocache-{len(stored)};q=0.1"
        target = "/queries/profession-statistics.json?profession=medical-coder"
        stored.append(check(server.get(target, headers={"Accept": accept}), 200))
    for t in runaways:
        t.join()
    assert [r.status for r in results] == [503, 503]
    assert len(stored) >= 5
    for replies in (health, stored):  # the median stays fast (the goal of issue 5 is p99 < 100 ms)
        assert sorted(r.elapsed for r in replies)[len(replies) // 2] < 0.25


# --- 4. size and shape ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("2 000 nested groups", "SELECT * WHERE " + "{" * 2000 + " ?s ?p ?o " + "}" * 2000),
        (
            "2 000 nested parentheses",
            "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 2000 + "?o" + ")" * 2000 + ") }",
        ),
        ("2 000 nested blank nodes", "SELECT * WHERE { ?s ?p " + "[ ?p " * 2000 + "?o" + " ]" * 2000 + " }"),
        (
            "2 000 nested subqueries",
            "SELECT * WHERE { " + "{ SELECT * WHERE " * 2000 + "{ ?s ?p ?o }" + " }" * 2000 + " }",
        ),
    ],
)
def test_deeply_nested_query_is_400(server, name, query):
    check(server.sparql_form({"query": query}), 400, message=MSG_NESTED)


def test_2000_step_property_path_is_answered(server):
    path = "/".join(f"<urn:x-abuse:p{i}>" for i in range(2000))
    reply = check(server.sparql_form({"query": f"SELECT * WHERE {{ ?s {path} ?o }}"}), 200, BOUND)
    assert bindings(reply) == []
    path = "/".join(["<http://www.w3.org/2004/02/skos/core#prefLabel>"] + ["<urn:x-abuse:p>"] * 1999)
    reply = check(server.sparql_form({"query": f"ASK {{ ?s {path} ?o }}"}), 200, BOUND)
    assert reply.json()["boolean"] is False


@pytest.mark.parametrize("how", ["form", "direct", "get"])
def test_query_text_over_100_kb_is_413(server, how):
    query = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(map(str, range(20_000))) + " } }"
    assert len(query) > 100_000
    if how == "get":  # a GET this long is refused by gunicorn before the app: the request line limit
        reply = server.sparql_get(query)
        assert reply.status == 414 and not LEAKS.search(reply.text)
        return
    reply = server.sparql_form({"query": query}) if how == "form" else server.sparql_direct(query)
    check(reply, 413, message=MSG_TOO_LONG)


def _stream(server: Server, content_type: str, *, chunked: bool, total: int = 64 * 1024**2):
    """POST *total* bytes, sending until the response arrives; returns (status line + headers, bytes sent,
    seconds)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        head = f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        head += "Accept: application/json\r\n"
        head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {total}\r\n\r\n"
        start = time.monotonic()
        sock.sendall(head.encode())
        sock.setblocking(False)
        piece = b"query=" + b"a" * (65536 - 6)
        frame = (b"%x\r\n" % len(piece)) + piece + b"\r\n" if chunked else piece
        sent, response = 0, b""
        while sent < total and b"\r\n\r\n" not in response and time.monotonic() - start < 10:
            try:
                sock.send(frame)  # a partial send only garbles the body, which is refused anyway
                sent += len(piece)
            except BlockingIOError:
                time.sleep(0.001)
            except (BrokenPipeError, ConnectionResetError):
                break
            try:
                response += sock.recv(65536)
            except BlockingIOError:
                pass
            except ConnectionResetError:
                break
        sock.setblocking(True)
        sock.settimeout(5)
        while b"\r\n\r\n" not in response:
            chunk = sock.recv(65536)
            if not chunk:
                break
            response += chunk
        return response, sent, time.monotonic() - start
    finally:
        sock.close()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("content_type", [FORM, DIRECT])
def test_64_mib_body_is_413_at_once(server, content_type, chunked):
    response, sent, seconds = _stream(server, content_type, chunked=chunked)
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), head[:200]
    assert seconds < QUICK
    assert sent < 32 * 1024**2, f"the server read {sent / 2**20:.0f} MiB before refusing"
    for name in SECURITY_HEADERS:
        assert name.lower().encode() in head.lower()
    assert b"Traceback" not in body


# --- 5. encoding -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%22%ff%fe%22%20%7D",
        "/sparql?query=ASK%7B%7D&default-graph-uri=urn%3A%c3%28",
        "/search?q=%ff",
        "/search.json?q=caf%e9",
        "/queries/search-label.json?text=%c3%28",
        "/queries/profession-statistics.json?profession=%ed%a0%80",  # a UTF-8-encoded surrogate
        "/compare?a=%c0%ae%c0%ae&b=medical-coder",  # overlong encoding of ".."
        "/id/medical-coder?x=%80",
    ],
)
def test_invalid_utf8_in_the_query_string_is_400(server, target):
    check(server.get(target), 400, message="the query string is not valid UTF-8")


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        (DIRECT, b'SELECT * WHERE { ?s ?p "\xff\xfe" }', "the query is not valid UTF-8"),
        (DIRECT, b'SELECT * WHERE { ?s ?p "\xed\xa0\x80" }', "the query is not valid UTF-8"),
        (
            FORM,
            b"query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%22%ff%22%7D",
            "the request body is not valid UTF-8",
        ),
        (FORM, b'query=SELECT * WHERE { ?s ?p "\xff" }', "the request body is not valid UTF-8"),
    ],
)
def test_invalid_utf8_in_the_body_is_400(server, content_type, body, message):
    check(server.call("POST", "/sparql", body, {"Content-Type": content_type}), 400, message=message)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (DIRECT + "; charset=iso-8859-1", 'SELECT * WHERE { ?s ?p "é" }'.encode("latin-1")),
        (DIRECT + "; charset=utf-16", "ASK {}".encode("utf-16")),
        (FORM + "; charset=latin1", b"query=ASK%7B%7D"),
        (FORM + "; charset=shift_jis", b"query=ASK%7B%7D"),
    ],
)
def test_non_utf8_charset_is_415(server, content_type, body):
    check(server.call("POST", "/sparql", body, {"Content-Type": content_type}), 415)


# --- 6. markup from the data -----------------------------------------------------------------------------


class Audit(HTMLParser):
    """Collects what an attacker would need: scripts, event handlers, dangerous URLs; and the visible text."""

    URL_ATTRS = {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
        "srcdoc",
    }
    BAD_SCHEME = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRS and value and (self.BAD_SCHEME.match(value) or name == "srcdoc"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            given = dict(attrs)
            if "src" in given:  # only the site's own files (the SPARQL editor), never inline code
                if not (given["src"] or "").startswith("/static/") or "type" in given:
                    self.problems.append(f"<script {attrs}>")
            elif given.get("type") not in ("application/ld+json", "application/json"):  # data, not code
                self.problems.append(f"<script {attrs}>")
            else:
                self._script = []
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)
        else:
            self.text.append(data)


def audit(reply: Reply) -> Audit:
    assert reply.headers["Content-Type"].startswith("text/html")
    parsed = Audit()
    parsed.feed(reply.text)
    parsed.close()
    assert parsed.problems == []
    for script in parsed.scripts:  # JSON(-LD) data: still one JSON document (nothing broke out of it)
        json.loads(script)
        assert "</" not in script and "<!--" not in script
    assert "<script>alert" not in reply.text and 'onmouseover="alert' not in reply.text
    return parsed


HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("/id/medical-coder", ("label", "alt")),
        ("/search?q=script", ("alt",)),
        ("/search?q=%22%3E%3Cscript%3E", ("label",)),
        ("/compare?a=medical-coder&b=certified-medical-assistant", ("label",)),
        ("/compare?a=certified-medical-assistant&b=medical-coder", ("label",)),
        ("/queries/search-label?text=script", ("alt",)),
        ("/queries/related-professions?profession=medical-coder", ("label",)),
        ("/", ("label",)),
    ],
)
def test_hostile_literals_and_iris_are_shown_as_text(server, target, shown):
    page = audit(check(server.get(target, headers=HTML), 200))
    text = "".join(page.text)
    for key in shown:
        assert SHOWN[key] in text, f"{SHOWN[key]!r} is not shown as text on {target}"


def test_hostile_graph_on_the_sparql_result_page(server):
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{XSS_GRAPH}> {{ ?s ?p ?o }} }}"
    page = audit(check(server.sparql_get(query, accept="text/html"), 200, BOUND))
    text = "".join(page.text)
    assert SHOWN["alt"] in text and SHOWN["label"] in text and "<svg onload=alert('xss-svg')>" in text


def test_hostile_entity_page_links_only_http(server):
    reply = check(server.get("/id/medical-coder", headers=HTML), 200)
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', reply.text)
    assert hrefs and all(h.startswith(("/", "#", "http://", "https://")) for h in hrefs), hrefs


# --- 7. path traversal under /id/ ------------------------------------------------------------------------

TRAVERSALS = [
    "/id/../healthz",
    "/id/../../etc/passwd",
    "/id/..%2f..%2fetc%2fpasswd",
    "/id/%2e%2e/%2e%2e/etc/passwd",
    "/id/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/id/%252e%252e%252fetc%252fpasswd",
    "/id/..%5c..%5cetc%5cpasswd",
    "/id/....//....//etc/passwd",
    "/id/%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
    "/id/medical-coder%00",
    "/id/medical-coder%00.ttl",
    "/id/medical-coder%2f..%2f..%2fkg%2fconfig.py",
    "/id/.%2e/.%2e/pyproject.toml",
    "/id/%2e%2e",
    "/id/.ttl",
    "/static/../kg/config.py",
    "/static/..%2f..%2fkg%2fconfig.py",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_path_traversal_is_404(server, target):
    reply = check(server.get(target), 404)
    for secret in (b"root:", b"[project]", b"import ", b"def "):
        assert secret not in reply.body


# --- 8. stored-query parameters: every string and IRI parameter of every stored query ---------------------

STRING_PAYLOADS = [
    "'",
    '"',
    "\\u0022",  # rdflib expands \u escapes in query text: bound values must be matched literally
    '\\"',
    '") || true || ("',
    "' || true || '",
    '"} UNION { ?entity ?p ?matchedLabel } #',
    "'} UNION { ?entity ?p ?matchedLabel } #",
    "{",
    "}",
    "# comment",
    "coder\n} UNION {",
    "\n",
    '"><script>',
    "<script>",
    "%22",
    "\\",
    "xss",
    "Coder",
]
IRI_PAYLOADS = [
    "medical-coder> } UNION { ?s ?p ?o } #",
    'medical-coder"',
    "medical-coder'",
    "<https://w3id.org/careers-kg/id/medical-coder>",
    "id:medical-coder } #",
    "medical-coder\\u003e",
    "medical coder",
    "medical-coder#x",
    "id:medical-coder\n} UNION {",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "data:text/plain,x",
    "http://example.org/a b",
    "http://example.org/{x}",
    "nope:x",
]


@pytest.fixture(scope="module")
def catalogue(server) -> list[dict]:
    return check(server.get("/queries.json"), 200).json()["queries"]


@pytest.fixture(scope="module")
def all_labels(server) -> list[tuple[str, str]]:
    """Every (entity, label) pair the search-label query can match, fetched with a plain query."""
    query = (
        "SELECT DISTINCT ?e ?l WHERE { ?e <http://www.w3.org/2004/02/skos/core#prefLabel>"
        "|<http://www.w3.org/2004/02/skos/core#altLabel> ?l }"
    )
    return [(r["e"], r["l"]) for r in bindings(check(server.sparql_get(query), 200, BOUND))]


def _target(stored: dict, params: dict[str, str]) -> str:
    fmt = "json" if stored["kind"] == "SELECT" else "turtle"
    return stored["formats"][fmt] + "?" + urlencode(params)


def test_string_parameters_are_matched_literally(server, catalogue, all_labels):
    strings = [(q, p) for q in catalogue for p in q["params"] if p["type"] == "string"]
    assert ("search-label", "text") in {(q["name"], p["name"]) for q, p in strings}
    matched_some = set()
    for stored, param in strings:
        assert stored["name"] == "search-label", "a new string parameter: give it its literal-match oracle"
        for payload in STRING_PAYLOADS:
            reply = check(server.get(_target(stored, {param["name"]: payload})), 200, BOUND)
            got = {(r["entity"], r["matchedLabel"]) for r in bindings(reply)}
            expected = {(e, lab) for e, lab in all_labels if payload.lower() in lab.lower()}
            assert got == expected, f"{param['name']}={payload!r}"
            if expected:
                matched_some.add(payload)
    # the oracle is not vacuous: quotes and markup do match the hostile labels, escapes match nothing
    assert {"'", '"', '"><script>', "<script>", "Coder"} <= matched_some
    assert "\\u0022" not in matched_some and '"} UNION { ?entity ?p ?matchedLabel } #' not in matched_some


def test_iri_parameters_refuse_payloads_naming_the_parameter(server, catalogue):
    iris = [(q, p) for q in catalogue for p in q["params"] if p["type"] == "iri"]
    assert len(iris) >= 10
    for stored, param in iris:
        for payload in IRI_PAYLOADS:
            reply = check(server.get(_target(stored, {param["name"]: payload})), 400)
            assert f"'{param['name']}'" in reply.json()["message"], (stored["name"], payload)


def test_unknown_and_repeated_parameters_are_400(server, catalogue):
    for stored in catalogue:
        reply = check(server.get(_target(stored, {"evil": "} UNION {"})), 400)
        assert "'evil'" in reply.json()["message"]
    check(server.get("/queries/search-label.json?text=a&text=b"), 400)


# --- 9. hostile Accept headers ---------------------------------------------------------------------------

ACCEPTS = {  # name -> (Accept, status of an entity page, status of /sparql ASK)
    "*/*;q=abc": ("*/*;q=abc", 200, 200),
    "q=1e9999 and q=-1": ("text/html;q=1e9999, */*;q=-1", 200, 200),
    "garbage separators": (";;;,,,;q=,", 200, 200),
    "repeated q params": ("text/html;q=0.5;q=0.9;level=1;;===", 200, 200),
    "NaN and inf": ("application/json;q=nan, text/html;q=inf", 200, 200),
    "unknown type only": ("application/x-nonexistent", 406, 406),
    "600 unknown ranges (7 KB)": (",".join(f"x{i}/y;q=0.{i % 10}" for i in range(600)), 406, 406),
    "one 8 000-byte token": ("a" * 8000, 200, 200),
    "non-ASCII": ("tëxt/html;q=0.9, */*", 200, 200),
}


@pytest.mark.parametrize("name", ACCEPTS)
def test_hostile_accept_headers(server, name):
    accept, page_status, sparql_status = ACCEPTS[name]
    assert len(accept.encode()) < 8190  # within gunicorn's header field limit: the app decides
    check(server.get("/id/medical-coder", headers={"Accept": accept}), page_status)
    check(server.get("/sparql?query=ASK%7B%7D", headers={"Accept": accept}), sparql_status)


# Refused by gunicorn before the app sees them: exact status, fast, no leak. These responses are gunicorn's
# own and carry none of the app's security headers (reported; see the module docstring).
GUNICORN_LIMITS = {
    "10 000 media ranges (69 KB Accept)": (
        "/sparql?query=ASK%7B%7D",
        {"Accept": ",".join(f"t{i}/s" for i in range(10_000))},
        431,
    ),
    "control characters in Accept": ("/id/medical-coder", {"Accept": "text/html\x01;q=\x7f"}, 400),
    "101 Accept headers": ("/healthz", None, 431),
    "request line over 8 190 bytes": ("/search?q=" + "a" * 9000, {}, 414),
}


@pytest.mark.parametrize("name", GUNICORN_LIMITS)
def test_gunicorn_limits_refuse_without_a_leak(server, name):
    target, headers, status = GUNICORN_LIMITS[name]
    if headers is None:  # more header fields than limit_request_fields (100)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            start = time.monotonic()
            conn.putrequest("GET", target)
            for i in range(101):
                conn.putheader("Accept", f"text/x-{i}")
            conn.endheaders()
            response = conn.getresponse()
            reply = Reply(response.status, response.headers, response.read(), time.monotonic() - start)
        finally:
            conn.close()
    else:
        reply = server.get(target, headers=headers)
    assert reply.status == status and reply.elapsed < QUICK
    assert not LEAKS.search(reply.text)


# --- 10. fifty concurrent clients ------------------------------------------------------------------------

PROFESSIONS = ("certified-medical-assistant", "medical-coder", "medical-biller", "cancer-registrar")
WORDS = ("coder", "medical", "cma", "assistant", "bls", "registrar", "billing", "aapc")


def mix(n: int, i: int) -> tuple[str, dict[str, str]]:
    """Request *i* of client *n*: pages, data twins, stored queries and ad-hoc SPARQL; the stored and ad-hoc
    queries vary by client and round, so most of them miss the response cache and really run."""
    p, w = PROFESSIONS[(n + i) % len(PROFESSIONS)], WORDS[(n * 3 + i) % len(WORDS)]
    other = PROFESSIONS[(n + i + 1) % len(PROFESSIONS)]
    routes = [
        ("/healthz", {}),
        (f"/id/{p}", HTML),
        (f"/id/{p}.ttl", {"Accept": "text/turtle"}),
        (f"/compare?a={p}&b={other}", HTML),
        (f"/compare.json?a={other}&b={p}", {}),
        ("/queries/professions.json", {}),
        (f"/queries/profession-statistics.json?profession={p}", {}),
        (f"/queries/search-label.json?text={w}{'' if i % 2 else n % 3}", {}),
        (f"/search.json?q={w}", {}),
        (
            "/sparql?query=" + quote(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a ?t }} # {n}-{i}", safe=""),
            {"Accept": JSON_RESULTS},
        ),
        ("/sparql?query=" + quote(f"ASK {{ ?s ?p ?o }} # {n}-{i}", safe=""), {"Accept": JSON_RESULTS}),
    ]
    return routes[(n + i * 7) % len(routes)]


def test_fifty_concurrent_clients_see_zero_errors(server):
    clients, rounds = 50, 6
    barrier = threading.Barrier(clients)
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        barrier.wait()
        for i in range(rounds):
            target, headers = mix(n, i)
            try:
                reply = server.get(target, headers=headers, timeout=30)
                check(reply, 200, 15.0)
            except (AssertionError, OSError) as exc:
                with lock:
                    errors.append(f"{target}: {exc}")
                continue
            with lock:
                latencies.append(reply.elapsed)

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [], "\n".join(e[:200] for e in errors)
    assert len(latencies) == clients * rounds
    assert time.monotonic() - start < 30
