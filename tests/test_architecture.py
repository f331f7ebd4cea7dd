"""The shape of service/: no import cycles, HTTP errors only at the edge."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

SERVICE = ROOT / "service"
# Modules that still raise ApiError in pure code, on other branches' ground (issue #11): each
# must raise a domain error instead; the list only shrinks.


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text("utf-8")) for p in SERVICE.rglob("*.py")}


def imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """Every service module this one imports, at the top or inside a function."""
    package = name if f"{name}.__init__" in known or _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            submodules = {f"{base}.{a.name}" for a in node.names} & known
            found |= submodules
            if len(submodules) < len(node.names):  # names defined in the module itself
                found.add(base)
    return {m for m in found if m in known and m != name}


def _is_package(name: str) -> bool:
    return (ROOT / Path(*name.split(".")) / "__init__.py").is_file()


def import_graph() -> dict[str, set[str]]:
    trees = modules()
    return {name: imports(name, tree, set(trees)) for name, tree in trees.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_lazy_imports():
    graph = import_graph()
    assert "service.api" in graph["service"]  # imported inside create_app
    assert "service.canned" in graph["service.api"]


def test_service_has_no_import_cycle():
    assert cycles(import_graph()) == []


def raisers_of_api_error(tree: ast.Module) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise)
        and isinstance(node.exc, ast.Call)
        and getattr(node.exc.func, "id", getattr(node.exc.func, "attr", "")) == "ApiError"
    ]


def is_blueprint(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Blueprint"
        for node in ast.walk(tree)
    )


def test_api_error_is_raised_only_by_blueprints_and_errors():
    trees = modules()
    offenders = {
        name: lines
        for name, tree in trees.items()
        if (lines := raisers_of_api_error(tree))
        and not is_blueprint(tree)
        and name != "service.errors"
    }
    assert offenders == {}, "raise a domain error (service/problems.py); errors.py maps it"


def test_api_error_subclasses_live_only_in_errors():
    for name, tree in modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and name != "service.errors":
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                assert "ApiError" not in bases, f"{name}.{node.name}"


# The HTTP edge: the factory, the blueprints and their shared request helpers.
EDGE = {
    "service",
    "service.cors",
    "service.errors",
    "service.html",
    "service.intake",  # refuses malformed requests before any view
    "service.negotiation",
    "service.ratelimit",
    "service.server",
}


def test_only_the_http_edge_imports_flask():
    trees = modules()
    importers = {
        name
        for name, tree in trees.items()
        for node in ast.walk(tree)
        if (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "flask")
        or (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "flask" for a in node.names)
        )
    }
    assert {"service.api", "service.pages"} & importers == {"service.api"}  # the check sees both
    outside = {n for n in importers if n not in EDGE and not is_blueprint(trees[n])}
    assert outside == set(), "pure modules take plain values; move the request handling out"
