"""Decide what a /sparql request asks for: query, dataset, form and format; pure, no Flask."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept, MultiDict

from ..describe import valid_iri
from ..formats import RDF_FORMATS, RESULT_FORMATS
from ..negotiation import pick_format
from ..problems import Forbidden, Problem, UnsupportedMedia
from .guards import Checked, GuardError, check

GRAPH_FORMATS = {name: mime for name, (mime, _, _) in RDF_FORMATS.items()}
ALIASES = {
    "ttl": "turtle",
    "json-ld": "jsonld",
    "nt": "ntriples",
    "rdf": "rdfxml",
    "srj": "json",
    "srx": "xml",
}
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@dataclass(frozen=True)
class Incoming:
    """The parts of an HTTP request the protocol reads."""

    method: str
    mimetype: str
    charset: str | None
    args: MultiDict[str, str]
    form: MultiDict[str, str]
    body: bytes
    accept: MIMEAccept


@dataclass(frozen=True)
class Plan:
    """A checked query with its protocol dataset and the chosen result format."""

    query: str
    default: list[str]
    named: list[str]
    form: str
    fmt: str
    mime: str


def single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise Problem(f"parameter '{name}' is given {len(values)} times; give it once", param=name)
    return values[0] if values else None


def read(incoming: Incoming) -> tuple[str | None, list[str], list[str]]:
    """The query and the protocol dataset, from any of the three protocol forms."""
    args, form = incoming.args, MultiDict[str, str]()
    if incoming.method == "POST":
        charset = (incoming.charset or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMedia(f"the body must be UTF-8, not {charset}")
        if incoming.mimetype == UPDATE_TYPE:
            raise Forbidden("this endpoint is read-only: updates are refused")
        if incoming.mimetype == QUERY_TYPE:
            form = MultiDict({"query": incoming.body.decode("utf-8", "replace")})
        elif incoming.mimetype == FORM_TYPE:
            form = incoming.form
        else:
            raise UnsupportedMedia(
                f"POST a query as {FORM_TYPE} or {QUERY_TYPE}, not "
                f"{incoming.mimetype or 'a body without a media type'}",
            )
    if "update" in args or "update" in form:
        raise Forbidden("this endpoint is read-only: updates are refused")
    query = single(args.getlist("query") + form.getlist("query"), "query")
    default = args.getlist("default-graph-uri") + form.getlist("default-graph-uri")
    named = args.getlist("named-graph-uri") + form.getlist("named-graph-uri")
    for iri in default + named:
        if not valid_iri(iri) or ":" not in iri:
            raise Problem(f"{iri!r} is not an IRI", param="default-graph-uri")
    return query, default, named


def negotiate(incoming: Incoming, form: str) -> str:
    """The result format for the query form, by `format=` or Accept."""
    offered = RESULT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS
    if form == "ASK":
        offered = {k: v for k, v in offered.items() if k in ("json", "xml")}
    raw = incoming.args.get("format") or incoming.form.get("format")
    name = ALIASES.get(raw, raw) if raw else None
    if name == "xml" and form not in ("SELECT", "ASK"):
        name = "rdfxml"
    return pick_format(offered, name, f" for {form}", incoming.accept)


Checker = Callable[[str, Collection[str] | None], Checked]


def plan(
    incoming: Incoming,
    max_length: int,
    remote_graphs: Collection[str] | None,
    check: Checker = check,
) -> Plan | None:
    """The checked query to run, or None when a GET asks for the service description; `check`
    may be a memo of guards.check (the app keeps one: the same text gets the same verdict)."""
    query, default, named = read(incoming)
    if query is None:
        if incoming.method == "POST":
            raise Problem("parameter 'query' is required", param="query")
        return None
    if len(query) > max_length:
        raise Problem(
            f"the query is {len(query)} characters long; at most {max_length}", param="query"
        )
    if remote_graphs is not None and any(g not in remote_graphs for g in default + named):
        raise Forbidden(f"the dataset may only name {sorted(remote_graphs)}")
    try:
        checked = check(query, remote_graphs)
    except GuardError as exc:
        refusal = Forbidden if exc.status == 403 else Problem
        raise refusal(exc.message, param="query") from None
    fmt = negotiate(incoming, checked.form)
    offered = RESULT_FORMATS if checked.form in ("SELECT", "ASK") else GRAPH_FORMATS
    return Plan(query, default, named, checked.form, fmt, offered[fmt])
