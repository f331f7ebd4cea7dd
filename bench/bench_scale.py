"""Scale: start-up time, peak RSS, a canned query's p50 and an aggregate at 100k and 1M triples,
each in a fresh process, beside the real graph's in the same run."""

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


def probe(files: list[str], step: str, asker: bool, timeout: float) -> dict[str, Any]:
    """Run scale_probe.py; phases it did not reach within `timeout` are absent."""
    argv = [sys.executable, str(HERE / "scale_probe.py"), step, "asker" if asker else "-", *files]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=True)
        text = out.stdout
    except subprocess.TimeoutExpired as exc:
        text = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
    phases = {}
    for line in text.splitlines():
        row = json.loads(line)
        phases[row.pop("phase")] = row
    return phases


def main(options: dict[str, Any]) -> dict[str, Any]:
    config = load_config()
    canned = open_canned(config)
    # the example step's full IRI: short names are ambiguous once the data is repeated
    step = str(canned.resolve("step-documents", {"step": "3"}, "zh")[0][1])
    out: dict[str, Any] = {"real": probe(config["DATA_FILES"], step, True, 120)}
    print(f"  real graph: {out['real']}")
    with tempfile.TemporaryDirectory() as folder:
        for size in options["scale"]:
            path = Path(folder) / f"scale-{size}.nt"
            written = scale_graph.write(size, path)
            files = [str(path)]
            result = probe(files, step, False, options["scale_timeout"])
            result["lines"] = written
            if options.get("asker_at_scale"):
                result["with_asker"] = probe(files, step, True, options["scale_timeout"])
            out[str(size)] = result
            print(f"  {size:,} triples: {result}", flush=True)
    return out
