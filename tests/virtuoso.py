"""A real remote SPARQL store for the tests: Debian's Virtuoso (package `virtuoso-opensource`), on loopback.

`start(workdir)` writes a minimal virtuoso.ini (a temporary database, free ports for SQL and HTTP, listening
on 127.0.0.1 only), runs ``virtuoso-t +foreground +configfile ...`` and waits until its SPARQL endpoint
answers; `Virtuoso.load(kg)` loads the built graph's named graphs (asserted, ontology, inferred) with
``isql-vt`` and ``DB.DBA.TTLP_MT`` (one N-Triples file per graph, read from the database directory);
`Virtuoso.stop()` stops it by PID (SIGTERM, then SIGKILL). Loading through isql needs no SPARQL_UPDATE grant:
the HTTP endpoint stays read-only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.stores.processes import free_port

SERVER = "virtuoso-t"
ISQL = ("isql-vt", "isql")
START_TIMEOUT = 45.0
INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = ., {dir}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}
MaxClientConnections = 10
ServerThreads        = 10
EnabledDavVSP        = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryExecutionTime      = 60
"""


def installed() -> bool:
    return shutil.which(SERVER) is not None and any(shutil.which(name) for name in ISQL)


@dataclass
class Virtuoso:
    directory: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def pid(self) -> int:
        return self.process.pid

    def isql(self, *statements: str, timeout: float = 60.0) -> str:
        isql = next(shutil.which(name) for name in ISQL if shutil.which(name))
        script = "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
        done = subprocess.run(
            [isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def load(self, kg: Any) -> dict[str, int]:
        """Load *kg*'s named graphs (asserted, ontology, inferred, extras); the triple count of each."""
        from kg.stores.store import quads

        by_graph: dict[str, list[str]] = {}
        for s, p, o, g in quads(kg):
            by_graph.setdefault(str(g), []).append(f"{s.n3()} {p.n3()} {_nt_object(o)} .\n")
        statements = []
        for n, (graph, lines) in enumerate(sorted(by_graph.items())):
            path = self.directory / f"graph-{n}.nt"
            path.write_text("".join(lines), encoding="utf-8")
            statements.append(f"DB.DBA.TTLP_MT(file_to_string_output('{path}'), '', '{graph}', 0)")
        self.isql(*statements, "checkpoint")
        return {graph: len(lines) for graph, lines in by_graph.items()}

    def ask(self, query: str) -> bytes:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            self.endpoint, data=data, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.kill(self.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def _nt_object(o: Any) -> str:
    return o.n3()


def start(directory: Path) -> Virtuoso:
    """A fresh Virtuoso in *directory* (created), its SPARQL endpoint answering."""
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(INI.format(dir=directory, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    with open(directory / "stdout.log", "wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [shutil.which(SERVER) or SERVER, "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Virtuoso(directory, sql_port, http_port, process)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited ({process.returncode}): {_tail(directory)}")
        try:
            server.ask("ASK { }")
            return server
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"virtuoso-t did not answer in {START_TIMEOUT:g} s: {_tail(directory)}"
                ) from None
            time.sleep(0.2)


def _tail(directory: Path) -> str:
    text = ""
    for name in ("stdout.log", "virtuoso.log"):
        try:
            text += (directory / name).read_text(errors="replace")[-1500:]
        except OSError:
            pass
    return text
