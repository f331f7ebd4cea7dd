"""A private Virtuoso for tests: own files in a temp folder, loopback ports, our graph loaded."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from rdflib import Graph

from .conftest import free_port

GRAPH = "https://w3id.org/newborn-kg/graph"
INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 30
DefaultQuery = ASK {{}}
"""

BINARY = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
MISSING = (
    "Virtuoso is not installed: apt-get install virtuoso-opensource (CI's .ci/run installs it)"
)


class Virtuoso:
    """Start, load, and stop one Virtuoso server."""

    def __init__(self, folder: Path) -> None:
        self.dir, self.sql, self.http = folder, free_port(), free_port()
        self.endpoint = f"http://127.0.0.1:{self.http}/sparql"
        # Virtuoso's authenticated SPARQL Update and Graph Store Protocol endpoints
        self.update = f"http://127.0.0.1:{self.http}/sparql-auth"
        self.gsp = f"http://127.0.0.1:{self.http}/sparql-graph-crud-auth"
        (folder / "virtuoso.ini").write_text(INI.format(dir=folder, sql=self.sql, http=self.http))
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(
            [BINARY, "+foreground", "+configfile", str(self.dir / "virtuoso.ini")],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                query = urllib.parse.urlencode({"query": "ASK {}"})
                urllib.request.urlopen(f"{self.endpoint}?{query}", timeout=2).read()
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(
            f"Virtuoso did not answer within {timeout}s: {(self.dir / 'virtuoso.log').read_text()[-2000:]}"
        )

    def isql(self, statement: str) -> str:
        out = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql}", "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if out.returncode != 0 or "*** Error" in out.stdout:
            raise RuntimeError(out.stdout + out.stderr)
        return out.stdout

    def load(self, files: list[str], graph: str = GRAPH) -> int:
        data = Graph()
        for path in files:
            data.parse(path, format="turtle")
        target = self.dir / "data.nt"
        data.serialize(target, format="nt", encoding="utf-8")
        self.isql(
            f"DB.DBA.TTLP_MT(file_to_string_output('{target}'), '', '{graph}', 0); checkpoint;"
        )
        return len(data)

    def upload(self, files: list[str], graph: str = GRAPH) -> int:
        """Load our files the way users do: `newborn-kg load` (GSP into staging, then MOVE)."""
        from service.upload import Target, upload

        return upload(files, Target(self.update, graph, self.gsp, "dba", "dba"))

    def add_canary(self, text: str, graph: str = "urn:canary") -> None:
        """A graph that must never show through the service."""
        self.isql(
            f"SPARQL INSERT DATA {{ GRAPH <{graph}> {{ <urn:canary:s> <urn:canary:p> '{text}' }} }};"
        )

    def pause(self) -> None:
        """Hang the server: it keeps its sockets but answers nothing."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)
        status = Path(f"/proc/{self.proc.pid}/status")
        while status.exists() and "(stopped)" not in status.read_text():
            time.sleep(0.05)  # the signal is asynchronous: wait until every thread has stopped

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
