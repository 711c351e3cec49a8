"""The layout of `jobmatch` and `webapp`, checked from their source (docs/architecture.md).

Every import counts: at the top of a module, inside a function, or under
`TYPE_CHECKING`. A name imported from a package counts as an import of the
submodule of that name when there is one, else of the package.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("jobmatch", "webapp")
MAX_LINES = 450
MAX_TOP_LEVEL_MODULES = 8
# What the library must never import: it knows nothing of the web, the database or the board.
BOARD_ONLY = {"flask", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf", "sqlalchemy"}
BOARD_ONLY |= {"werkzeug", "wtforms", "jinja2", "webapp"}

BLUEPRINTS = ("auth", "coordinator", "counsellor", "dashboard", "employer", "public")
WORDS = ("webapp.ui.vocabulary", "webapp.ui.locale", "webapp.ui.numbers", "webapp.ui.board_day")
# The board's layers, lowest first: a module may import its own layer and those below.
LAYERS = (
    ("library", ("jobmatch",)),
    ("infrastructure", ("webapp.extensions", "webapp.worker")),
    ("models", ("webapp.models",)),
    (
        "words",
        ("webapp.ui.vocabulary", "webapp.ui.locale", "webapp.ui.numbers", "webapp.ui.board_day"),
    ),
    ("services", ("webapp.services",)),
    ("forms", ("webapp.forms",)),
    ("ui", ("webapp.ui",)),
    ("blueprints", tuple(f"webapp.{b}" for b in BLUEPRINTS)),
    ("application", ("webapp",)),  # the factory, cli, errors, demo
)
SHARED_BY_BLUEPRINTS = ("webapp.auth.sessions",)  # the role guards every blueprint uses


@dataclass(frozen=True)
class Module:
    name: str
    path: Path

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def tree(self) -> ast.Module:
        return _parse(self.path)


@cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@cache
def modules() -> dict[str, Module]:
    """Every module of the two packages by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = Module(".".join(parts), path)
    return found


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The absolute name a `from ... import` reads from."""
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_names(module: Module) -> Iterator[str]:
    """Every absolute name the module imports, anywhere in it."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            for alias in node.names:
                yield f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules() else source


def _known(name: str) -> str | None:
    """The module of ours that `name` is, or lies in (its longest known prefix)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module name -> the modules of ours it imports."""
    edges = {}
    for name, module in modules().items():
        targets = {_known(imported) for imported in imported_names(module)}
        edges[name] = frozenset(t for t in targets if t is not None and t != name)
    return edges


def circles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in sorted(edges[name]):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == name:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(edges)))
    try:
        for name in sorted(edges):
            if name not in index:
                visit(name)
    finally:
        sys.setrecursionlimit(limit)
    return found


def layer_of(name: str) -> int:
    """The rank of a module's layer: the longest matching prefix in LAYERS wins."""
    best, rank = -1, -1
    for position, (_label, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), position
    return rank


def blueprint_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "webapp" and parts[1] in BLUEPRINTS else None


# -- the tests ---------------------------------------------------------------------


def test_the_graph_sees_function_level_imports() -> None:
    # `create_app` imports the blueprints inside functions: they must be edges.
    assert "webapp.coordinator" in graph()["webapp"]
    assert "webapp.auth.views" in graph()["webapp"]


def test_no_import_circles() -> None:
    assert circles(graph()) == []


def test_a_circle_would_be_found() -> None:
    edges = dict(graph())
    edges["webapp.models.columns"] = edges["webapp.models.columns"] | {"webapp.models.youths"}
    found = circles(edges)
    assert any({"webapp.models.columns", "webapp.models.youths"} <= set(g) for g in found)


def test_the_library_imports_nothing_of_the_board() -> None:
    wrong = {
        (name, imported)
        for name, module in modules().items()
        if name.split(".")[0] == "jobmatch"
        for imported in imported_names(module)
        if imported.split(".")[0] in BOARD_ONLY
    }
    assert wrong == set()


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(module.path.relative_to(ROOT)): lines
        for module in modules().values()
        if (lines := len(module.path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_board_keeps_few_modules_at_its_top_level() -> None:
    top = sorted(p.name for p in (ROOT / "webapp").glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_each_layer_imports_only_itself_and_the_layers_below() -> None:
    upward = {
        (name, target)
        for name, targets in graph().items()
        if name.startswith("webapp")
        for target in targets
        if layer_of(target) > layer_of(name)
    }
    assert upward == set()


def test_the_board_does_not_reach_into_the_validator() -> None:
    """The validator is the library's own check; the board reads the library's public API."""
    readers = {
        name
        for name, targets in graph().items()
        if name.startswith("webapp")
        and any(t == "jobmatch.check" or t.startswith("jobmatch.check.") for t in targets)
    }
    assert readers == set(), readers


def test_blueprints_do_not_import_each_other() -> None:
    across = {
        (name, target)
        for name, targets in graph().items()
        for target in targets
        if (mine := blueprint_of(name))
        and (theirs := blueprint_of(target))
        and mine != theirs
        and target not in SHARED_BY_BLUEPRINTS
    }
    assert across == set()


def test_imports_stand_at_the_top_of_every_module() -> None:
    late = []
    for module in modules().values():
        body = module.tree.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        seen_other = False
        for statement in body:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                if seen_other:
                    late.append(f"{module.name}:{statement.lineno}")
            else:
                seen_other = True
    assert late == []
