"""No outbound connection from /sparql, with or without root.

The guard and the engine must read a query the same way (escapes), and below the guard the
query process itself has no network (seccomp). Both are proved against a loopback listener,
with the server running without CAP_SYS_ADMIN, so that no network namespace can help.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from service.sparql.guards import GuardError, check

from .conftest import free_port
from .test_cli import BIN, wait_for
from .test_sparql_endpoint import Listener

CAP_SYS_ADMIN = 21
# {port} is a loopback listener that counts connections
BYPASSES = [
    # the reported bypass: a \u0022 that Oxigraph reads as one quote inside a string, but a
    # whole-text decoder reads as the start of a """ long string hiding the SERVICE
    'SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } '
    'BIND("\\u0022" AS ?y) }',
    "SELECT * WHERE { BIND('\\u0027' AS ?x) SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } "
    "BIND('\\u0027' AS ?y) }",
    'SELECT * WHERE { BIND("\\U00000022" AS ?x) SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o }'
    ' BIND("\\U00000022" AS ?y) }',
    'SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE SILENT <http://127.0.0.1:{port}/> '
    '{ ?s ?p ?o } BIND("\\u0022" AS ?y) }',
    # the same trick carrying FROM past the dataset check
    'SELECT * FROM <http://127.0.0.1:{port}/g> WHERE { BIND("\\u0022" AS ?x) ?s ?p ?o '
    'BIND("\\u0022" AS ?y) }',
    # the other way round: a string for Oxigraph that a whole-text decoder reads as code
    'SELECT * WHERE { BIND("\\u0022 ) SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } '
    'BIND(\\u0022" AS ?y) }',
    # escapes outside strings
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> \\u007B ?s ?p ?o } }",
    "\\u0053ELECT * WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    # SERVICE behind comments, case, newlines, variables, nesting
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { sErViCe\n<http://127.0.0.1:{port}/> { ?a ?b ?c } } }",
    "SELECT * WHERE { #\\u0022\nSERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { { { SERVICE <http://[::1]:{port}/> { ?s ?p ?o } } } }",
    "ASK { SERVICE <http://localhost:{port}/> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } } }",
    "SELECT * WHERE { SERVICE <http\\u003A//127.0.0.1:{port}/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("text", BYPASSES)
def test_guard_refuses_every_bypass(text):
    with pytest.raises(GuardError) as info:
        check(text.replace("{port}", "1"), allowed_datasets=set())
    assert info.value.status in (400, 403)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?x WHERE { BIND("caf\\u00E9" AS ?x) }',
        "SELECT * WHERE { ?s <http://example.org/\\u00E9> ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/> { }" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/>",
    ],
)
def test_guard_accepts_escapes_and_keywords_that_stay_data(text):
    assert check(text).form == "SELECT"


def has_sys_admin(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    effective = int(
        next(line for line in status.splitlines() if line.startswith("CapEff")).split()[1], 16
    )
    return bool(effective >> CAP_SYS_ADMIN & 1)


def without_sys_admin(argv: list[str]) -> list[str]:
    """The command, run without CAP_SYS_ADMIN (setpriv as root; as is otherwise)."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip(
            "setpriv (util-linux) is needed to drop CAP_SYS_ADMIN as root: apt-get install util-linux"
        )
    return [setpriv, "--bounding-set=-sys_admin", "--inh-caps=-sys_admin", *argv]


def test_server_without_sys_admin_makes_no_outbound_connection():
    listener = Listener()
    port = free_port()
    proc = subprocess.Popen(
        without_sys_admin([BIN, "serve", "--port", str(port), "--workers", "1"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    statuses = []
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        assert not has_sys_admin(proc.pid), "the server still holds CAP_SYS_ADMIN"
        for text in BYPASSES:
            query = text.replace("{port}", str(listener.port))
            url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
            try:
                statuses.append(urllib.request.urlopen(url, timeout=15).status)
            except urllib.error.HTTPError as exc:
                body = json.loads(exc.read())
                assert body["error"]["status"] == exc.code
                statuses.append(exc.code)
        time.sleep(0.5)  # let any stray connection arrive
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        listener.close()
    print(
        f"{len(BYPASSES)} bypass queries -> {sorted(set(statuses))}, "
        f"{listener.connections} connections"
    )
    assert listener.connections == 0
    # FROM on the embedded store only selects a graph already in the store (none: 200, no rows)
    for text, status in zip(BYPASSES, statuses, strict=True):
        assert 400 <= status < 500 or ("FROM" in text and status == 200), (text, status)


CHILD = textwrap.dedent(
    """
    import sys, pyoxigraph
    from service.sparql.isolation import Runner
    port, offline = sys.argv[1], sys.argv[2] == "1"
    def task(query):
        return len(list(pyoxigraph.Store().query(query)))
    runner = Runner(task, size=1, offline=offline)
    try:
        runner.run("SELECT * WHERE { SERVICE <http://127.0.0.1:%s/sparql> { ?s ?p ?o } }" % port, 10)
    except Exception as exc:
        print(type(exc).__name__, exc)
    """
)


@pytest.mark.parametrize("offline", [True, False])
def test_query_process_has_no_network_even_without_sys_admin(offline):
    """Below the guard: the engine itself is handed SERVICE, in a process without CAP_SYS_ADMIN."""
    listener = Listener()
    try:
        out = subprocess.run(
            without_sys_admin([sys.executable, "-c", CHILD, str(listener.port), str(int(offline))]),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parent.parent,
        )
        time.sleep(0.3)
    finally:
        listener.close()
    assert out.returncode == 0, out.stderr
    if offline:
        assert listener.connections == 0 and "not permitted" in out.stdout, out.stdout
    else:  # the control: without the filter the same engine call does reach the listener
        assert listener.connections >= 1, out.stdout
