"""Scale: start-up time, peak RSS, a canned query's p50 and an aggregate at 100k and 1M triples,
then the whole server's start-up (create_app), peak RSS and first requests, each in a fresh
process, beside the real graph's in the same run."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import scale_graph

from service.canned import open_canned
from service.config import load_config

HERE = Path(__file__).resolve().parent


def run(argv: list[str], timeout: float) -> dict[str, Any]:
    """Run a probe script; phases it did not reach within `timeout` are absent."""
    try:
        out = subprocess.run(
            [sys.executable, *argv], capture_output=True, text=True, timeout=timeout, check=True
        )
        text = out.stdout
    except subprocess.TimeoutExpired as exc:
        text = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
    phases = {}
    for line in text.splitlines():
        row = json.loads(line)
        phases[row.pop("phase")] = row
    return phases


def probe(files: list[str], step: str, asker: bool, timeout: float) -> dict[str, Any]:
    """Loading, the entity index (and the matcher), canned p50 and an aggregate: scale_probe.py."""
    return run([str(HERE / "scale_probe.py"), step, "asker" if asker else "-", *files], timeout)


def server(files: list[str], step: str, timeout: float) -> dict[str, Any]:
    """The whole server: create_app, then /health and a canned request: server_probe.py."""
    return run([str(HERE / "server_probe.py"), step, *files], timeout)


def main(options: dict[str, Any]) -> dict[str, Any]:
    config = load_config()
    canned = open_canned(config)
    # the example step's full IRI: short names are ambiguous once the data is repeated
    step = str(canned.resolve("step-documents", {"step": "3"}, "zh")[0][1])
    out: dict[str, Any] = {"real": probe(config["DATA_FILES"], step, True, 120)}
    out["real"]["server"] = server(config["DATA_FILES"], step, 120)
    print(f"  real graph: {out['real']}")
    with tempfile.TemporaryDirectory() as folder:
        for size in options["scale"]:
            path = Path(folder) / f"scale-{size}.nt"
            written = scale_graph.write(size, path)
            files = [str(path)]
            result = probe(files, step, False, options["scale_timeout"])
            result["lines"] = written
            # the ontology in its own graph beside the copies, as the server is configured
            ontology = config["DATA_FILES"][0]
            result["server"] = server([ontology, *files], step, options["scale_timeout"])
            if options.get("asker_at_scale"):
                result["with_asker"] = probe(files, step, True, options["scale_timeout"])
            out[str(size)] = result
            print(f"  {size:,} triples: {result}", flush=True)
    return out
