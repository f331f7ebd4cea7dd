"""The `newborn-kg` command: serve, query, validate."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

import click

from .answers import Answer, render_answer
from .catalog import CatalogError, load_catalog
from .config import ConfigError, load_config
from .formats import delimited, render_result, sparql_json
from .languages import DEFAULT_LANG, LANGS
from .loader import DataLoadError
from .opening import open_store
from .problems import Problem
from .store import QueryError, Result, StoreError


def _store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option("--store", type=click.Choice(["embedded", "sparql"]), default=None),
            click.option("--endpoint", default=None, help="SPARQL endpoint URL (--store sparql)."),
            click.option("--graph", default=None, help="Graph IRI on the endpoint."),
        ]
    ):
        func = option(func)
    return func


def _overrides(store: str | None, endpoint: str | None, graph: str | None) -> dict[str, Any]:
    given = {"STORE": store, "ENDPOINT": endpoint, "GRAPH": graph}
    return {k: v for k, v in given.items() if v is not None}


def _fail(message: str) -> None:
    click.echo(f"newborn-kg: {message}", err=True)
    sys.exit(1)


@click.group()
@click.version_option(package_name="newborn-kg", prog_name="newborn-kg")
def main() -> None:
    """newborn-kg: the Henan newborn medical insurance card process as a knowledge graph."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@_store_options
@click.option("--dev", is_flag=True, help="Flask's development server instead of granian.")
def serve(
    host: str,
    port: int,
    workers: int,
    store: str | None,
    endpoint: str | None,
    graph: str | None,
    dev: bool,
) -> None:
    """Serve the API, SPARQL endpoint and pages."""
    from . import create_app

    try:
        app = create_app(_overrides(store, endpoint, graph))
    except (DataLoadError, ConfigError, QueryError, CatalogError, StoreError) as exc:
        _fail(str(exc))
    click.echo(
        f"newborn-kg: http://{host}:{port}/ ({'dev server' if dev else f'{workers} workers'})"
    )
    if dev:
        app.run(host=host, port=port, debug=True, use_reloader=False)
    else:
        from .server import serve as granian_serve

        granian_serve(app, host, port, workers)


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--query", "text", default=None, help="The SPARQL query text.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "turtle"]),
    default="table",
    show_default=True,
)
@_store_options
def query(
    file: Any,
    text: str | None,
    fmt: str,
    store: str | None,
    endpoint: str | None,
    graph: str | None,
) -> None:
    """Run an ad-hoc SPARQL query (FILE, - for stdin, or --query TEXT)."""
    if (file is None) == (text is None):
        raise click.UsageError("give exactly one of FILE, - or --query TEXT")
    sparql = text if text is not None else file.read()
    try:
        result = open_store(load_config(_overrides(store, endpoint, graph))).query(sparql)
        text = render(result, fmt)
        click.echo(text, nl=not text.endswith("\n"))
    except (DataLoadError, ConfigError, QueryError, StoreError, ValueError) as exc:
        _fail(str(exc))


class RunCommand(click.Command):
    """`run`, whose help lists the canned queries, read from QUERIES_DIR when help is asked."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        try:
            catalog = load_catalog(load_config()["QUERIES_DIR"])
        except (CatalogError, ConfigError) as exc:
            formatter.write_paragraph()
            formatter.write_text(f"(the queries could not be read: {exc})")
            return
        with formatter.section("Queries (NAME, an example --param, what it answers)"):
            formatter.write_dl(
                [
                    (
                        " ".join([name, *(f"--param {p.name}={p.example}" for p in q.params)]),
                        q.summary["en"],
                    )
                    for name, q in catalog.items()
                ]
            )


@main.command(cls=RunCommand)
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="K=V", help="A query parameter.")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
def run(name: str, params: tuple[str, ...], lang: str, fmt: str) -> None:
    """Run the canned query NAME with --param k=v."""
    from .canned import open_canned

    raw = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"--param takes K=V, not {item!r}")
        raw[key] = value
    try:
        answer = open_canned(load_config()).answer(name, raw, lang)
    except Problem as exc:
        _fail(
            f"{exc.message}"
            + (
                f"; allowed: {', '.join(exc.details['allowed'])}"
                if exc.details.get("allowed")
                else ""
            )
        )
    except (DataLoadError, ConfigError, QueryError, CatalogError) as exc:
        _fail(str(exc))
    if fmt == "table":
        click.echo(_label_table(answer))
    else:
        text = render_answer(answer, fmt, 0, len(answer.rows))
        click.echo(text, nl=not text.endswith("\n"))


def _label_table(answer: Answer) -> str:
    cells = [[(row[c] or {}).get("label", "") for c in answer.columns] for row in answer.rows]
    return text_table(list(answer.columns), cells)


@main.command()
@click.argument("question")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Answer language (default: the question's).",
)
def ask(question: str, lang: str | None) -> None:
    """Answer a question in Chinese or English, and show the query used."""
    from .canned import open_canned
    from .errors import ApiError
    from .qa.asker import Asker, QuestionError
    from .served import served

    config = load_config()
    try:
        version = served(open_canned(config), config["BASE_URI"] + "id/")  # as the server does
        answer = Asker.build(version).ask(question, lang)
    except (ApiError, QuestionError) as exc:
        _fail(exc.message)
    if not answer["understood"]:
        if answer.get("text"):
            click.echo(answer["text"])
        options = answer.get("clarify") or answer.get("suggestions") or []
        click.echo(
            "(not understood) "
            + " | ".join(o["label"] if isinstance(o, dict) else o for o in options)
        )
        sys.exit(3)
    click.echo(answer["text"])
    click.echo(
        f"-- query: {answer['query']} {answer['params']} "
        f"(confidence {answer['confidence']}); try {answer['try']}"
    )
    for source in answer["sources"]:
        click.echo(f"-- source: {source['label']} <{source['iri']}>")


@main.command(name="eval")
@click.option("--file", "path", default=None, help="Evaluation set (default tests/qa_eval.yaml).")
def evaluate_command(path: str | None) -> None:
    """Score question answering: accuracy per language, abstention, confusions."""
    from .canned import open_canned
    from .config import PROJECT_ROOT
    from .qa.asker import Asker
    from .qa.cases import load_cases
    from .qa.evaluation import evaluate
    from .served import served

    cases = load_cases(path or PROJECT_ROOT / "tests" / "qa_eval.yaml")
    config = load_config()
    report = evaluate(Asker.build(served(open_canned(config), config["BASE_URI"] + "id/")), cases)
    click.echo("\n".join(report.lines()))


@main.command()
@click.option("--endpoint", required=True, help="SPARQL 1.1 Update endpoint URL.")
@click.option("--graph", required=True, help="IRI of the graph to replace.")
@click.option("--gsp", default=None, help="Graph Store Protocol URL (else SPARQL Update).")
@click.option("--user", default=None, help="User for HTTP Basic or Digest authentication.")
@click.option(
    "--password-env", default=None, metavar="VAR", help="Environment variable with the password."
)
def load(
    endpoint: str, graph: str, gsp: str | None, user: str | None, password_env: str | None
) -> None:
    """Push kg/ into a SPARQL 1.1 store, replacing GRAPH in one step."""
    import os

    from .upload import Target, UploadError, ntriples, send

    password = os.environ.get(password_env) if password_env else None
    if password_env and password is None:
        _fail(f"--password-env {password_env}: that variable is not set")
    files = load_config()["DATA_FILES"]
    target = Target(endpoint, graph, gsp, user, password)
    try:
        lines = ntriples(files)
        with click.progressbar(length=len(lines), label="loading", file=sys.stderr) as bar:
            count = send(lines, target, progress=bar.update)
    except (DataLoadError, UploadError) as exc:
        _fail(str(exc))
    click.echo(f"newborn-kg: {count} triples now in <{graph}> at {endpoint}")


@main.command()
def validate() -> None:
    """Validate kg/ against the SHACL shapes; exit 1 on violations."""
    from .validation import validate as run_validation

    config = load_config()
    report = run_validation(config["DATA_FILES"], [config["SHAPES_FILE"]])
    if report.conforms:
        click.echo(f"newborn-kg: {', '.join(config['DATA_FILES'])} conform to the shapes")
        return
    click.echo(report.text)
    _fail(f"{report.violations} SHACL violation(s)")


# ---------------------------------------------------------------- tables for the terminal


def render(result: Result, fmt: str) -> str:
    """Render for the command line: table, json, csv, or turtle for graphs."""
    if result.kind == "CONSTRUCT":
        return render_result(result, "jsonld" if fmt == "json" else "turtle").decode("utf-8")
    if fmt == "turtle":
        raise ValueError("turtle renders CONSTRUCT and DESCRIBE results; use table, json or csv")
    if fmt == "csv":
        return delimited(result)
    if fmt == "json":
        return json.dumps(sparql_json(result), ensure_ascii=False, indent=2)
    if result.kind == "ASK":
        return "true" if result.boolean else "false"
    header = list(result.variables)
    return text_table(header, [[str(row.get(v, "")) for v in header] for row in result.rows])


def text_table(header: list[str], cells: list[list[str]]) -> str:
    """Align columns for the terminal, counting wide (CJK) characters as two."""
    widths = [max(_width(c[i]) for c in [header, *cells]) for i in range(len(header))]
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(row, widths) for row in cells]
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()
