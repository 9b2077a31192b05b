"""The shape of the package's imports (issue 13): no import cycle anywhere, and lazy imports of
ncm_toolkit modules only in `cli/`, where they keep start-up quick.

Read from the source with `ast`, nothing imported: every `import` statement counts, at the top
of a module, inside a function or under `if TYPE_CHECKING:`. A cycle that works only because
one of its imports sits inside a function is still a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ncm_toolkit"

LAZY_ALLOWED: dict[str, set[str]] = {
    # the console script: `ncm --version` answers before typer is imported
    "ncm_toolkit.launch": {"ncm_toolkit.cli.main"},
}
"""Function-level imports of ncm_toolkit modules allowed outside cli/: module -> targets."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, ast.stmt, bool]]:
    """(imported ncm_toolkit module, statement, at module level) for every import in `path`;
    `from pkg import name` counts as importing `pkg.name` when that is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top = {id(n) for n in _top_level(tree.body)}
    out: list[tuple[str, ast.stmt, bool]] = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            subs = [f"{module}.{a.name}" for a in node.names]
            targets = [s for s in subs if s in known] or [module]
        else:
            continue
        for target in targets:
            if target == "ncm_toolkit" or target.startswith("ncm_toolkit."):
                while target not in known and "." in target:  # `import a.b.c` of a name
                    target = target.rpartition(".")[0]
                out.append((target, node, id(node) in top))
    return out


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements run when the module is imported: its body, and the bodies of module-level
    `if`/`try` blocks (`if TYPE_CHECKING:` included), not functions or classes."""
    out: list[ast.stmt] = []
    for node in body:
        out.append(node)
        if isinstance(node, ast.If):
            out += _top_level(node.body) + _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                out += _top_level(block)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {
        name: {t for t, _, _ in _imports(name, path, known) if t != name}
        for name, path in modules.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_is_read() -> None:
    """The reader sees real edges, top-level and in functions alike (else the tests below
    would pass on an empty graph)."""
    graph = _graph()
    assert "ncm_toolkit.content" in graph["ncm_toolkit.plan"]
    assert "ncm_toolkit.render.report" in graph["ncm_toolkit.render.markdown"]
    assert "ncm_toolkit.cli.main" in graph["ncm_toolkit.launch"]  # inside main()
    assert "ncm_toolkit.read.yamlfile" in graph["ncm_toolkit.read.loader"]


def test_a_cycle_hidden_in_a_function_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in cycles)


OUTSIDE_CLI = sorted(n for n in _modules() if not n.startswith("ncm_toolkit.cli"))


@pytest.mark.parametrize("name", OUTSIDE_CLI)
def test_no_lazy_import_of_the_package_outside_cli(name: str) -> None:
    """Outside cli/, ncm_toolkit modules are imported at the top (type-only imports under
    `if TYPE_CHECKING:` count as top); lazy imports of heavy third-party libraries may stay,
    each with a comment saying why."""
    modules = _modules()
    allowed = LAZY_ALLOWED.get(name, set())
    lazy = [
        f"{modules[name].name}:{node.lineno} imports {target}"
        for target, node, top in _imports(name, modules[name], set(modules))
        if not top and target not in allowed
    ]
    assert not lazy, "\n".join(lazy)
