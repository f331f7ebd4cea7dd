"""Write the figures to results.json (key "performance") and the `## Performance` section of
results.md, every figure beside its goal; other sections of either file are kept."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

HEADING = "## Performance"


def _ratio(figs: dict[str, Any], key: str) -> str:
    r = figs.get(key)
    return f"{r['ratio']:.3g} ({r['min']:.2f}–{r['max']:.2f})" if r else "not measured"


def _verdict(value: float | None, goal: float, at_least: bool = True) -> str:
    if value is None:
        return "—"
    return "met" if (value >= goal if at_least else value <= goal) else "**not met**"


def http_rows(http: dict[str, Any]) -> list[str]:
    if "api_ratios" not in http:
        return [f"| HTTP | {http.get('skipped', 'not run')} | | |"]
    api = http["api_ratios"]
    rows = []
    for key, goal, before in (
        ("canned / constant", 0.9, "0.63–0.84"),
        ("canned-uncached / constant", 0.9, "—"),
        ("canned / constant-gunicorn", 2.0, "—"),
        ("canned-uncached / constant-gunicorn", 2.0, "—"),
        ("ask-zh / constant", 0.5, "0.17"),
        ("ask-en / constant", 0.5, "0.17"),
    ):
        value = api.get(key, {}).get("ratio")
        verdict = f"≥ {goal} {_verdict(value, goal)}"
        if "uncached" in key:  # the goal is the cached path's; this says what a miss costs
            verdict = f"(≥ {goal} {_verdict(value, goal)} without the cache)"
        rows.append(f"| {key} (req/s) | {before} | {_ratio(api, key)} | {verdict} |")
    log = http.get("log", "on")
    other = "on" if log == "off" else "off"
    for key in (f"canned-log-{other} / canned", f"constant-log-{other} / constant"):
        rows.append(
            f"| {key}: access log {other} vs {log} (the default) | — | {_ratio(api, key)} | "
            "(chooses the default) |"
        )
    sparql = http.get("sparql_ratios", {})
    before = {
        ("step-documents", "virtuoso"): "4.1",
        ("step-documents", "rdflib-endpoint"): "5.5",
        ("aggregate", "virtuoso"): "1.41",
        ("aggregate", "rdflib-endpoint"): "7.1",
        ("all-triples", "virtuoso"): "1.05",
        ("all-triples", "rdflib-endpoint"): "8.7",
    }
    for mine in ("ours", "ours-uncached"):
        for (query, peer), was in before.items():
            key = f"{query}: {mine} / {peer}"
            goal = 1.5 if peer == "virtuoso" else 10.0
            value = sparql.get(key, {}).get("ratio")
            verdict = f"≥ {goal:g} {_verdict(value, goal)}"
            if mine != "ours":
                verdict, was = f"(≥ {goal:g} {_verdict(value, goal)} without the cache)", "—"
            rows.append(f"| /sparql {key} | {was} | {_ratio(sparql, key)} | {verdict} |")
    return rows


def scale_rows(scale: dict[str, Any]) -> list[str]:
    real = scale.get("real", {})
    rows = []
    for size, at in scale.items():
        if size == "real":
            continue
        n = f"{int(size):,}"
        start, rss = at.get("startup", {}).get("s"), at.get("load", {}).get("rss_mib")
        rss = max(
            (p["rss_mib"] for p in at.values() if isinstance(p, dict) and "rss_mib" in p),
            default=None,
        )
        canned, base = at.get("canned_p50", {}).get("s"), real.get("canned_p50", {}).get("s")
        ratio = canned / base if canned and base else None
        big = size == "1000000"
        rows += [
            f"| {n}: start-up (load {at.get('load', {}).get('s', 0):.2f} s + index "
            f"{at.get('index', {}).get('s', 0):.2f} s) | {'14.6 s' if big else '—'} | "
            f"{start:.2f} s | {'≤ 5 s ' + _verdict(start, 5, False) if big else ''} |"
            if start is not None
            else f"| {n}: start-up | | did not finish | |",
            f"| {n}: peak RSS | {'1,088 MiB' if big else '—'} | {rss} MiB | "
            f"{'≤ 700 MiB ' + _verdict(rss, 700, False) if big else ''} |",
            f"| {n}: canned p50 vs real graph's | — | "
            + (f"{canned * 1e3:.3f} ms / {base * 1e3:.3f} ms = {ratio:.2f}×" if ratio else "—")
            + f" | {'≤ 2× ' + _verdict(ratio, 2, False) if big else ''} |",
            f"| {n}: aggregate (COUNT by class) | — | "
            f"{at.get('aggregate', {}).get('s', 0) * 1e3:.1f} ms | |",
            *server_rows(n, at.get("server", {}), real.get("server", {}), big),
        ]
    return rows


def server_rows(n: str, server: dict[str, Any], real: dict[str, Any], big: bool) -> list[str]:
    """The whole server (create_app) on the scaled files: start-up, peak RSS, first requests."""
    start = server.get("server_startup", {}).get("s")
    if start is None:
        return [f"| {n}: whole server start-up (create_app) | | did not finish | |"]
    rss = max(p["rss_mib"] for p in server.values())
    ms = {k.removeprefix("server_"): v["s"] * 1e3 for k, v in server.items()}
    base = real.get("server_canned_p50", {}).get("s")
    ratio = ms.get("canned_p50", 0) / (base * 1e3) if base else None
    return [
        f"| {n}: whole server start-up (create_app; CPU time) | {'21.7 s' if big else '—'} | "
        f"{start:.2f} s ({server['server_startup'].get('cpu_s', 0):.2f} s CPU) | "
        f"{'≤ 5 s ' + _verdict(start, 5, False) if big else ''} |",
        f"| {n}: whole server peak RSS (start-up and the requests below) | "
        f"{'892 MiB' if big else '—'} | {rss} MiB | "
        f"{'≤ 700 MiB ' + _verdict(rss, 700, False) if big else ''} |",
        f"| {n}: whole server right after start-up: first /health, canned, /api/ask, "
        f"parameter by label | — | {ms.get('health_first', 0):.1f} / "
        f"{ms.get('canned_first', 0):.1f} / {ms.get('ask_first', 0):.1f} / "
        f"{ms.get('label_first', 0):.1f} ms | |",
        f"| {n}: whole server canned request p50 (test client) vs real graph's | — | "
        + (f"{ms['canned_p50']:.3f} ms / {base * 1e3:.3f} ms = {ratio:.2f}×" if ratio else "—")
        + " | |",
    ]


def section(figures: dict[str, Any]) -> str:
    opts = figures["options"]
    lines = [
        HEADING,
        "",
        f"`make bench`, {figures['started']}, on the shared 2-core machine: wrk -t2 -c16 on "
        f"loopback, {opts['rounds']} alternating rounds of {opts['seconds']:g} s per case, "
        f"{opts['workers']} server workers, access log {figures.get('http', {}).get('log', '?')} "
        "on both apps; ratio = median of the per-round ratios "
        "(min–max across rounds in brackets, which is the noise). Full figures: results.json.",
        "",
        "Measured: "
        + ", ".join(f"{part} {at}" for part, at in figures.get("measured", {}).items())
        + ".",
        "",
        "| figure | issue #16 (before) | this run | goal |",
        "|---|---|---|---|",
    ]
    if "http" in figures:
        lines += http_rows(figures["http"])
    if "scale" in figures:
        lines += scale_rows(figures["scale"])
    if "inprocess" in figures:
        canned = figures["inprocess"]["canned"]
        lines += [
            "",
            "In-process, p50 / p99 in ms (no cache: resolve, run, label):",
            "",
            "| canned query | p50 | p99 |",
            "|---|---|---|",
        ]
        lines += [f"| {k} | {v['p50_ms']:.3f} | {v['p99_ms']:.3f} |" for k, v in canned.items()]
        lines += [
            "",
            "| /sparql child work | Oxigraph alone p50 | run + JSON p50 |",
            "|---|---|---|",
        ]
        for k, v in figures["inprocess"]["sparql_child"].items():
            lines.append(
                f"| {k} | {v['oxigraph_alone']['p50_ms']:.3f} | {v['execute_json']['p50_ms']:.3f} |"
            )
    notes = figures.get("notes")
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def write(figures: dict[str, Any], folder: Path) -> None:
    """Merge into results.json and replace (or append) the Performance section of results.md."""
    folder.mkdir(parents=True, exist_ok=True)
    data_path, md_path = folder / "results.json", folder / "results.md"
    data = json.loads(data_path.read_text()) if data_path.exists() else {}
    data["performance"] = figures
    data_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    text = md_path.read_text() if md_path.exists() else "# Benchmark results\n"
    notes_path = Path(__file__).with_name("performance-notes.md")
    if notes_path.exists():
        figures = {**figures, "notes": notes_path.read_text().strip().splitlines()}
    new = section(figures)
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(lambda _: new + "\n", text)
        if pattern.search(text)
        else (text.rstrip("\n") + "\n\n" + new)
    )
    md_path.write_text(text)
    print(f"\nwrote {md_path} and {data_path}")
