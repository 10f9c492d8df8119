"""Dependencies inside ``pipeline`` point one way: no module reaches back up into one that
(directly or not) imports it, and only the interfaces on top talk to the facade.

Every ``import`` and ``from … import`` statement counts, wherever it stands: at module level,
inside a function (a lazy import is still a dependency) and under ``if TYPE_CHECKING:`` (a type
hint on the facade ties a stage to it as much as a call does). ``from pipeline import formats``
is an edge to the submodule ``pipeline.formats``; ``from pipeline import Archive`` is an edge to
``pipeline/__init__.py``. Importing ``pipeline.a.b`` also runs ``pipeline/a/__init__.py``, but
that implicit import of the parent packages is not counted: a package's ``__init__`` is where
its own submodules are gathered, not a layer of its own.

The package is found through ``import pipeline``, so ``PYTHONPATH`` chooses the tree checked.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pipeline

PACKAGE = "pipeline"
FACADE = "pipeline.facade"
# The interfaces on top, the only modules that may import the facade.
FACADE_USERS = ("pipeline.cli", "pipeline.web")

Graph = dict[str, set[str]]


# --- reading the imports ---------------------------------------------------------------------


def modules_of(root: Path, package: str) -> dict[str, Path]:
    """``{dotted name: file}`` for every module of the package whose folder is ``root``."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([package, *parts])] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _relative_base(module: str, path: Path, level: int, name: str | None) -> str:
    """The absolute module a ``from {'.' * level}{name} import …`` in ``module`` names."""
    package = module if _is_package(path) else module.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{name}" if name else package


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` if it is a module of the package, else the longest enclosing one (None outside)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``module`` imports, by any import statement anywhere in it."""
    path = modules[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(_known(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (_relative_base(module, path, node.level, node.module) if node.level
                    else node.module or "")
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else _known(base, modules))
    targets.discard(None)
    return targets  # type: ignore[return-value]


def import_graph(root: Path, package: str) -> Graph:
    modules = modules_of(root, package)
    return {module: imports_of(module, modules) for module in modules}


# --- finding the circles ---------------------------------------------------------------------


def strongly_connected(graph: Graph) -> Iterator[set[str]]:
    """Tarjan's strongly connected components (iterative: no recursion limit on deep chains)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in graph:
                    continue
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                yield component


def cycles(graph: Graph) -> list[set[str]]:
    """Every circle: a component of more than one module, or a module that imports itself."""
    return [component for component in strongly_connected(graph)
            if len(component) > 1 or any(m in graph[m] for m in component)]


def _describe(circles: Iterable[set[str]], graph: Graph) -> str:
    lines = []
    for circle in circles:
        lines.append(f"{len(circle)} modules: {', '.join(sorted(circle))}")
        for module in sorted(circle):
            inside = sorted(graph[module] & circle)
            if inside:
                lines.append(f"    {module} -> {', '.join(inside)}")
    return "\n".join(lines)


# --- the rules of the house ------------------------------------------------------------------


def _house() -> Graph:
    return import_graph(Path(pipeline.__file__).parent, PACKAGE)


def test_no_module_of_pipeline_is_in_an_import_circle() -> None:
    graph = _house()
    found = cycles(graph)
    assert not found, "import circles inside pipeline/:\n" + _describe(found, graph)


def test_only_the_interfaces_import_the_facade() -> None:
    graph = _house()
    allowed = {PACKAGE, FACADE}
    users = sorted(module for module, targets in graph.items() if FACADE in targets
                   and module not in allowed
                   and not any(module == top or module.startswith(top + ".") for top in FACADE_USERS))
    assert not users, f"modules below the interfaces that import {FACADE}: {', '.join(users)}"


def test_the_walk_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The checker itself on a small package: lazy, TYPE_CHECKING, relative, submodule-by-name
    and package-attribute imports all become edges, and circles through them are found."""
    root = tmp_path / "pkg"
    files = {
        "__init__.py": "def __getattr__(name):\n    from pkg.top import Top\n    return Top\n",
        "top.py": "from pkg.stage import work\nclass Top: ...\n",
        "stage.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from pkg.top import Top\n"
                     "def work():\n    from . import base\n"),
        "base.py": "from pkg import sub\nfrom pkg import Top\n",
        "sub/__init__.py": "",
        "sub/leaf.py": "from ..sub import other\nimport pkg.sub.leaf\n",
        "sub/other.py": "from .leaf import x\n",
        "alone.py": "import os\nfrom pkg.sub import leaf as _leaf\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    graph = import_graph(root, "pkg")
    assert graph["pkg"] == {"pkg.top"}
    assert graph["pkg.stage"] == {"pkg.top", "pkg.base"}
    assert graph["pkg.base"] == {"pkg.sub", "pkg"}  # a submodule by name; a package attribute
    assert graph["pkg.sub.leaf"] == {"pkg.sub.other", "pkg.sub.leaf"}
    assert graph["pkg.alone"] == {"pkg.sub.leaf"}  # the parent package pkg.sub is not counted
    found = sorted(sorted(c) for c in cycles(graph))
    assert found == [["pkg", "pkg.base", "pkg.stage", "pkg.top"], ["pkg.sub.leaf", "pkg.sub.other"]]
