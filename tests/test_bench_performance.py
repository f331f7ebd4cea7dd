"""The benchmark scripts run end to end on a tiny graph and write their section (no timing is
asserted: figures belong in bench/results.md, not in tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_on_a_tiny_graph(tmp_path: Path) -> None:
    (tmp_path / "results.md").write_text("# Benchmark results\n\n## Questions\n\nkept\n")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--tiny",
            "inprocess",
            "scale",
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    figures = json.loads((tmp_path / "results.json").read_text())["performance"]
    assert set(figures["inprocess"]["canned"]) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert figures["scale"]["3000"]["load"]["triples"] >= 3000
    server = figures["scale"]["3000"]["server"]  # the whole server, then its first requests
    assert {"server_startup", "server_canned_first", "server_canned_p50"} <= set(server)
    text = (tmp_path / "results.md").read_text()
    assert "## Questions\n\nkept" in text and text.count("## Performance") == 1


def test_the_scale_graph_keeps_the_real_graph_and_repeats_its_data(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import scale_graph

    from service.config import load_config
    from service.store import EmbeddedStore

    files = load_config(environ={})["DATA_FILES"]
    real = EmbeddedStore(files)
    written = scale_graph.write(10 * len(real.ox), tmp_path / "big.nt")
    big = EmbeddedStore([str(tmp_path / "big.nt")])
    # triples about terms outside the instance base (e.g. language codes) repeat in every copy
    assert written >= len(big.ox) >= 10 * len(real.ox)
    assert {q.triple for q in real.ox} <= {q.triple for q in big.ox}  # one file: one graph
