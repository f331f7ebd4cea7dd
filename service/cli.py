"""The `newborn-kg` command: serve, query, validate."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from .catalog import CatalogError
from .config import ConfigError, load_config
from .loader import DataLoadError
from .store import QueryError, open_store


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
def main() -> None:
    """newborn-kg: the Henan newborn medical insurance card process as a knowledge graph."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@_store_options
@click.option("--dev", is_flag=True, help="Flask's development server instead of gunicorn.")
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
    except (DataLoadError, ConfigError, QueryError, CatalogError) as exc:
        _fail(str(exc))
    click.echo(
        f"newborn-kg: http://{host}:{port}/ ({'dev server' if dev else f'{workers} workers'})"
    )
    if dev:
        app.run(host=host, port=port, debug=True, use_reloader=False)
    else:
        from .server import serve as gunicorn_serve

        gunicorn_serve(app, host, port, workers)


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
    from .formats import render

    if (file is None) == (text is None):
        raise click.UsageError("give exactly one of FILE, - or --query TEXT")
    sparql = text if text is not None else file.read()
    try:
        result = open_store(load_config(_overrides(store, endpoint, graph))).query(sparql)
        text = render(result, fmt)
        click.echo(text, nl=not text.endswith("\n"))
    except (DataLoadError, ConfigError, QueryError, ValueError) as exc:
        _fail(str(exc))


@main.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="K=V", help="A query parameter.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
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
    from .errors import ApiError
    from .formats import render_answer

    raw = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"--param takes K=V, not {item!r}")
        raw[key] = value
    try:
        answer = open_canned(load_config()).answer(name, raw, lang)
    except ApiError as exc:
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


def _label_table(answer: Any) -> str:
    from .formats import text_table

    cells = [[(row[c] or {}).get("label", "") for c in answer.columns] for row in answer.rows]
    return text_table(list(answer.columns), cells)


@main.command()
@click.argument("question")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Answer language (default: the question's).",
)
def ask(question: str, lang: str | None) -> None:
    """Answer a question in Chinese or English, and show the query used."""
    from .canned import open_canned
    from .errors import ApiError
    from .qa.asker import Asker, QuestionError

    try:
        answer = Asker.build(open_canned(load_config())).ask(question, lang)
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
    from .qa.evaluation import evaluate, load_cases

    cases = load_cases(path or PROJECT_ROOT / "tests" / "qa_eval.yaml")
    report = evaluate(Asker.build(open_canned(load_config())), cases)
    click.echo("\n".join(report.lines()))


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
