"""`make bench`: HTTP (wrk), in-process and scale figures, written to bench/results.json and the
`## Performance` section of bench/results.md; then any other bench/bench_*.py.

    python bench/run.py                 # everything (about 6 minutes on 2 cores)
    python bench/run.py http scale      # some parts
    python bench/run.py --tiny --out D  # seconds: the scripts run, the figures mean nothing
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PARTS = ("http", "inprocess", "scale")
FULL = {
    "workers": 2,
    "rounds": 5,
    "seconds": 2.0,
    "peers": True,
    "inprocess_seconds": 0.5,
    "scale": [100_000, 1_000_000],
    "scale_timeout": 120.0,
}
TINY = {
    "workers": 1,
    "rounds": 1,
    "seconds": 1.0,
    "peers": False,
    "inprocess_seconds": 0.01,
    "scale": [3_000],
    "scale_timeout": 60.0,
}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help=f"some of {', '.join(PARTS)} (default: all)")
    parser.add_argument("--tiny", action="store_true", help="a seconds-long smoke run")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the results files")
    args = parser.parse_args(argv)
    options = dict(TINY if args.tiny else FULL)
    figures: dict[str, Any] = {"options": options, "started": time.strftime("%Y-%m-%dT%H:%MZ")}
    previous = args.out / "results.json"
    if args.parts and previous.exists():  # some parts again: keep the others' figures
        figures = {**json.loads(previous.read_text()).get("performance", {}), "options": options}
    for part in args.parts or PARTS:
        print(f"\n== {part}", flush=True)
        start = time.monotonic()
        figures[part] = importlib.import_module(f"bench_{part}").main(options)
        figures.setdefault("measured", {})[part] = time.strftime("%Y-%m-%dT%H:%MZ")
        print(f"   ({time.monotonic() - start:.0f} s)")
    import report

    report.write(figures, args.out)
    if not args.parts and not args.tiny:
        for path in sorted(HERE.glob("bench_*.py")):
            if path.stem.removeprefix("bench_") not in PARTS:
                print(f"\n== {path.stem}", flush=True)
                importlib.import_module(path.stem).main()


if __name__ == "__main__":
    main(sys.argv[1:])
