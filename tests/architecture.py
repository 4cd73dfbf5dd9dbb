"""Import graph of the project's own modules: cycles and the layer rule (stdlib ``ast`` only).

Run ``python -m tests.architecture [ROOT]`` from the repository root. It walks the files that
exist when it runs, so it follows modules as they move. Exit code 0 only when there are no
import cycles, no layer violations and no unplaced modules.

Layers, lowest first; a module may import only its own layer or lower ones, and only the app
layer (or ``etl`` itself) may import ``etl``:

0 core   ``backend``, ``backend.config``, ``backend.models``, ``backend.chunk_layout``,
         ``backend.files``, ``backend.process_cache``, ``backend.text.*``
1 parts  ``backend.embed``, ``backend.search``, ``backend.generate``, ``backend.storage``,
         ``backend.feedback``, ``backend.finetune`` with their submodules
2 etl    ``etl.*``
3 app    ``backend.app.*``
4 ui     ``dashboard.*``, ``pages.*``, ``streamlit_app``

Only imports that run count: those under ``if TYPE_CHECKING:`` are left out; imports inside
functions count. Dynamic imports (``importlib.import_module``) are not seen.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE_DIRS = ("backend", "etl", "dashboard", "pages")
TOP_LEVEL_MODULES = ("streamlit_app",)

LAYER_NAMES = ("core", "parts", "etl", "app", "ui")
# (layer, exact module names, prefixes whose submodules also belong); first match wins.
LAYER_RULES: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (0, ("backend",), ("backend.config", "backend.models", "backend.chunk_layout",
                       "backend.files", "backend.process_cache", "backend.text")),
    (1, (), ("backend.embed", "backend.search", "backend.generate", "backend.storage", "backend.feedback",
             "backend.finetune")),
    (2, (), ("etl",)),
    (3, (), ("backend.app",)),
    (4, TOP_LEVEL_MODULES, ("dashboard", "pages")),
)
ETL, APP = 2, 3


def discover_modules(root: Path) -> dict[str, Path]:
    """Map each project module name (``backend.search``, ``pages.agent``) to its file under ``root``."""
    modules: dict[str, Path] = {}
    for top in PACKAGE_DIRS:
        for path in sorted((root / top).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if any(p == "__pycache__" or p.startswith(".") for p in parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    for name in TOP_LEVEL_MODULES:
        if (root / f"{name}.py").is_file():
            modules[name] = root / f"{name}.py"
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    """True for the test of ``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in ``tree`` (functions included), skipping ``if TYPE_CHECKING:`` bodies."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
        else:
            stack.extend(ast.iter_child_nodes(node))


def _longest_prefix(name: str, modules: dict[str, Path] | set[str]) -> str | None:
    """The longest dotted prefix of ``name`` (itself included) that is a project module."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in modules:
            return prefix
    return None


def _imported_names(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute dotted names one import statement in ``module`` loads (before filtering)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        if node.level - 1 > len(package):
            return []  # beyond the top of the tree: not ours
        anchor = ".".join(package[: len(package) - (node.level - 1)])
        base = ".".join(p for p in (anchor, base) if p)
    return [base] + [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]


def build_graph(root: Path) -> dict[str, set[str]]:
    """Import graph of the project modules under ``root``: module -> the project modules it imports.

    ``import a.b.c`` gives an edge to the longest prefix of ``a.b.c`` that is a project module;
    ``from P import x`` gives an edge to ``P`` and, when ``P.x`` is a project module, to ``P.x``.
    Self-edges and imports of anything outside the project are dropped.
    """
    modules = discover_modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _import_nodes(tree):
            names = _imported_names(module, path, node)
            if isinstance(node, ast.ImportFrom):
                # P itself resolves to its longest project prefix; P.x only counts if it is a module.
                targets = [_longest_prefix(names[0], modules)] + [n for n in names[1:] if n in modules]
            else:
                targets = [_longest_prefix(n, modules) for n in names]
            graph[module].update(t for t in targets if t and t != module)
    return graph


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of ``graph`` (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c not in index or c in on_stack), None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
            elif child in index:
                low[node] = min(low[node], index[child])
            else:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
    return components


def _shortest_cycle(graph: dict[str, set[str]], start: str, members: set[str]) -> list[str]:
    """A shortest path ``start -> ... -> start`` that stays inside ``members`` (breadth-first)."""
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        next_frontier = []
        for node in frontier:
            for child in sorted(graph.get(node, ()) & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if child not in parent:
                    parent[child] = node
                    next_frontier.append(child)
        frontier = next_frontier
    return []


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One concrete cycle per import cycle (SCC of more than one module), as ``[a, b, ..., a]``."""
    return [_shortest_cycle(graph, scc[0], set(scc)) for scc in _strongly_connected(graph) if len(scc) > 1]


def layer_of(module: str) -> int | None:
    """Layer number of ``module`` (0 core ... 4 ui), or None when it matches no layer (unplaced)."""
    for layer, exact, prefixes in LAYER_RULES:
        if module in exact or any(module == p or module.startswith(p + ".") for p in prefixes):
            return layer
    return None


def _layer_name(module: str) -> str:
    layer = layer_of(module)
    return "unplaced" if layer is None else LAYER_NAMES[layer]


def unplaced_modules(graph: dict[str, set[str]]) -> list[str]:
    """Modules of the graph that belong to no layer (e.g. ``backend.app.services``)."""
    return sorted(m for m in graph if layer_of(m) is None)


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Edges that break the layer rule, as ``"module (layer) imports target (layer)"``.

    An edge breaks the rule when it goes to a higher layer, or when it goes into ``etl`` from a
    module outside the app and etl layers. Edges from or to unplaced modules are not judged here
    (see ``unplaced_modules``).
    """
    violations = []
    for module in sorted(graph):
        source = layer_of(module)
        for target in sorted(graph[module]):
            dest = layer_of(target)
            if source is None or dest is None:
                continue
            if dest > source or (dest == ETL and source not in (ETL, APP)):
                violations.append(f"{module} ({LAYER_NAMES[source]}) imports {target} ({LAYER_NAMES[dest]})")
    return violations


def etl_importers(graph: dict[str, set[str]]) -> list[str]:
    """Modules outside ``etl`` that import an ``etl`` module."""
    return sorted(m for m, targets in graph.items() if layer_of(m) != ETL and any(layer_of(t) == ETL for t in targets))


def main(argv: list[str] | None = None) -> int:
    """Print the graph size, cycles, layer violations and unplaced modules; 0 only when all are empty."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1]
    graph = build_graph(root)
    print(f"{len(graph)} modules, {sum(len(t) for t in graph.values())} edges")

    cycles = find_cycles(graph)
    print(f"\n{len(cycles)} cycles" + (":" if cycles else ""))
    components = [scc for scc in _strongly_connected(graph) if len(scc) > 1]
    for cycle, scc in zip(cycles, components):
        print("  " + " -> ".join(cycle))
        if len(scc) > len(cycle) - 1:
            print(f"    (all {len(scc)} modules of this cycle: {', '.join(scc)})")

    violations = layer_violations(graph)
    print(f"\n{len(violations)} layer violations" + (":" if violations else ""))
    for line in violations:
        print("  " + line)

    unplaced = unplaced_modules(graph)
    print(f"\n{len(unplaced)} unplaced modules" + (":" if unplaced else ""))
    for module in unplaced:
        print(f"  {module} imports " + (", ".join(sorted(graph[module])) or "nothing of ours"))

    importers = etl_importers(graph)
    listed = ", ".join(f"{m} ({_layer_name(m)})" for m in importers) or "none"
    print(f"\nModules importing etl (app layer only): {listed}")
    return 0 if not (cycles or violations or unplaced) else 1


if __name__ == "__main__":
    sys.exit(main())
