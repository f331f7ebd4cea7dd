import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from service.cli import main

from .conftest import ROOT, free_port

BIN = Path(sys.executable).parent / "newborn-kg"
STEPS = "SELECT ?s WHERE { ?s a <https://w3id.org/newborn-kg/ontology#Step> } ORDER BY ?s"


def run(*args, input=None, env=None):
    return CliRunner().invoke(main, list(args), input=input, env=env)


def test_query_text_formats():
    table = run("query", "--query", STEPS)
    assert table.exit_code == 0 and "(4 rows)" in table.output
    as_json = json.loads(run("query", "--query", STEPS, "--format", "json").output)
    assert [b["s"]["value"][-6:] for b in as_json["results"]["bindings"]] == [
        "step/1",
        "step/2",
        "step/3",
        "step/4",
    ]
    csv_lines = run("query", "--query", STEPS, "--format", "csv").output.splitlines()
    assert csv_lines[0] == "s" and len(csv_lines) == 5


def test_query_from_file_and_stdin(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(STEPS)
    assert "(4 rows)" in run("query", str(path)).output
    assert "(4 rows)" in run("query", "-", input=STEPS).output


def test_query_construct_as_turtle():
    result = run(
        "query",
        "--format",
        "turtle",
        "--query",
        "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t FILTER(?t = <https://w3id.org/newborn-kg/ontology#Step>) }",
    )
    assert result.exit_code == 0 and "nkg:Step" in result.output or "ontology#Step" in result.output


def test_query_errors_exit_non_zero():
    assert run("query").exit_code == 2
    bad = run("query", "--query", "SELEC x")
    assert bad.exit_code == 1 and bad.output.startswith("newborn-kg: ")
    wrong_format = run("query", "--query", STEPS, "--format", "turtle")
    assert wrong_format.exit_code == 1 and "CONSTRUCT" in wrong_format.output


def serve_with(data_files: str) -> subprocess.CompletedProcess[str]:
    """Start the server on the given data files; it is expected to refuse and exit."""
    env = {**os.environ, "NEWBORN_KG_DATA_FILES": data_files}
    return subprocess.run(
        [BIN, "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_malformed_turtle_exits_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    proc = serve_with(str(bad))
    assert proc.returncode == 1
    assert f"{bad}:3:" in proc.stderr and "Traceback" not in proc.stderr


def test_an_empty_data_file_refuses_to_start_in_one_line(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    proc = serve_with(f"{ROOT / 'kg' / 'ontology.ttl'},{empty}")
    assert proc.returncode == 1
    assert proc.stderr == f"newborn-kg: {empty}: the file holds no triples\n"


def test_validate_passes_on_the_graph():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "conform" in result.output


def test_validate_fails_readably_on_violations(tmp_path):
    data = (ROOT / "kg" / "data.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "data.ttl"
    broken.write_text(data.replace('"第1步：到医院办理出生医学证明"@zh, ', ""), encoding="utf-8")
    env = {"NEWBORN_KG_DATA_FILES": f"{ROOT / 'kg' / 'ontology.ttl'},{broken}"}
    result = run("validate", env=env)
    assert result.exit_code == 1
    assert (
        "needs an rdfs:label in Chinese" in result.output and "1 SHACL violation" in result.output
    )


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def leftovers(port):
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if f"serve --port {port}" in cmdline:
            found.append(proc.name)
    return found


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_serve_runs_granian_workers_and_stops_on_sigterm():
    port = free_port()
    proc = subprocess.Popen(
        [BIN, "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/health")
        assert health["status"] == "ok" and health["triples"] > 1000
        ask = wait_for(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D")  # forks query children
        assert ask["boolean"] is True
        # the master loaded the graph once and forked two workers; query children are the
        # workers' own (never forked in the master)
        workers = children(proc.pid)
        assert len(workers) == 2
        assert sum(len(children(w)) for w in workers) >= 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and leftovers(port):
        time.sleep(0.2)
    assert leftovers(port) == [], "query children outlived the server"
    log = proc.stdout.read()
    # "Started worker-N" once a worker (RSGI also logs "Started worker-N runtime-1")
    assert "granian" in log and len(re.findall(r"Started worker-\d+$", log, re.M)) == 2
    # each worker stopped taking connections before granian's stop, which then completed
    assert log.count("draining") == 2 and "shutdown completed" in log
    assert log.index("draining") < log.index("Stopped worker-")


def test_run_a_canned_query_as_table_json_and_csv():
    table = run("run", "step-documents", "--param", "step=第三步")
    assert table.exit_code == 0 and "出生医学证明" in table.output and "(2 rows)" in table.output
    body = json.loads(
        run("run", "next-step", "--param", "step=2", "--lang", "en", "--format", "json").output
    )
    assert body["rows"][0]["next"]["value"].endswith(
        "/region/410000/v1/service/newborn-medical-insurance-card/step/3"
    )
    csv_out = run("run", "laws", "--format", "csv").output.splitlines()
    assert csv_out[0].startswith("law,law_label") and len(csv_out) == 4  # three laws


def test_run_reports_bad_params_and_names():
    bad = run("run", "step-documents", "--param", "step=9")
    assert bad.exit_code == 1 and "no match for '9'" in bad.output and "allowed: 1 (" in bad.output
    assert run("run", "nope").exit_code == 1
    assert run("run", "steps", "--param", "oops").exit_code == 2


def test_ask_prints_the_answer_and_the_query():
    result = run("ask", "去邮政储蓄银行要带什么？")
    assert (
        result.exit_code == 0
        and "出生医学证明" in result.output
        and "office-documents" in result.output
    )
    refused = run("ask", "how do i renew my passport")
    assert refused.exit_code == 3 and "(not understood)" in refused.output


def test_eval_prints_accuracy_abstention_and_confusions(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {q: "第三步要带啥", query: step-documents, params: {step: "3"}}\n'
        '- {q: "what do i need for step 4", query: next-step, params: {step: "4"}}\n'
        '- {q: "护照怎么办", query: null}\n',
        encoding="utf-8",
    )
    result = run("eval", "--file", str(cases))
    assert result.exit_code == 0
    assert "zh: 1/1 = 100.0%" in result.output and "en: 0/1 = 0.0%" in result.output
    assert "abstention: precision 100.0%, recall 100.0%" in result.output
    assert "confusion next-step -> step-documents: 1" in result.output


def test_version_names_the_package_version():
    from importlib.metadata import version

    result = run("--version")
    assert (
        result.exit_code == 0 and result.output == f"newborn-kg, version {version('newborn-kg')}\n"
    )


def test_run_help_lists_every_canned_query_with_an_example():
    from service.catalog import load_catalog

    from .conftest import ROOT

    result = run("run", "--help")
    assert result.exit_code == 0
    text = "".join(result.output.split())  # help wraps long lines, even inside words
    for name, query in load_catalog(ROOT / "queries").items():
        example = " ".join([name, *(f"--param {p.name}={p.example}" for p in query.params)])
        assert "".join(f"{example} {query.summary['en']}".split()) in text


def test_text_tables_count_wide_characters_twice():
    from service.cli import text_table

    table = text_table(["name", "n"], [["第一步", "1"], ["step 10", "10"]]).splitlines()
    assert table == [
        "name     n",
        "-------  --",
        "第一步   1",
        "step 10  10",
        "(2 rows)",
    ]


def test_render_writes_ask_and_refuses_turtle_for_rows():
    import pytest

    from service.cli import render
    from service.store import Result

    assert render(Result("ASK", boolean=True), "table") == "true"
    with pytest.raises(ValueError, match="turtle renders CONSTRUCT"):
        render(Result("SELECT", ("s",), ()), "turtle")
