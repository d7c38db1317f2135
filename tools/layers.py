#!/usr/bin/env python3
"""Checks the shape of src/planner: import cycles, long modules, rich outside the views, upward imports.

Reads every module's imports with `ast` (those inside functions and under `if TYPE_CHECKING:` too: a lazy
import is still a dependency) and reports

  (a) import cycles between modules: each group of modules that import one another, directly or not
      (a strongly connected component of the import graph), counted once;
  (b) modules over MAX_LINES lines;
  (c) `rich` imported outside planner.cli and planner.views (terminal rendering lives there);
  (d) imports that go up, or sideways between peers, in the layer order of docs/architecture.md.

Exit status 0 when all four are empty, 1 otherwise. Run by .ci/run and by tests/test_layers.py:

    python tools/layers.py [--root src/planner] [--max-lines 500]
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MAX_LINES = 500

LAYERS: tuple[tuple[str, ...], ...] = (
    ("domain",),
    ("text",),
    ("mission",),
    ("solver", "check", "b2b", "imports"),
    ("rules",),
    ("diagnosis",),
    ("pipeline",),
    ("isolated", "solver_server"),
    ("views",),
    ("cli", "testing"),
    ("launch",),
    ("__main__",),
)
"""The layer order, lowest first. A module may import its own layer package and the packages of lower
layers; packages that share a rank are peers and never import each other (the checker never imports the
solver). `testing` (synthetic missions for tests and benchmarks) sits at the top, beside the command line,
so that nothing in the product depends on it. `isolated` runs the pipeline in a child process (a crash of
the solver's native code cannot end planner); `solver_server` is what its fork server imports first.
`rules` (one module per rule kind: its entry, model family, check, words) sits above the solver and the
checker whose helpers it uses; the layers below reach its declarations only through the registry of
`planner.domain.rules`, which imports them by module name, as plug-ins are found."""

RICH_ALLOWED = ("cli", "views")
"""Layers where terminal rendering (rich) is allowed."""

RANK = {layer: rank for rank, peers in enumerate(LAYERS) for layer in peers}


@dataclass(slots=True)
class Module:
    name: str
    """Dotted name, e.g. `planner.views.common`."""
    path: Path
    lines: int
    imports: list[tuple[str, int]] = field(default_factory=list)
    """(imported dotted name, line) for every import statement, wherever it stands."""

    @property
    def layer(self) -> str | None:
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else None


@dataclass(slots=True)
class Report:
    modules: dict[str, Module]
    cycles: list[list[str]]
    long_modules: list[Module]
    rich_imports: list[tuple[Module, int]]
    upward_imports: list[tuple[Module, str, int]]

    @property
    def clean(self) -> bool:
        return not (self.cycles or self.long_modules or self.rich_imports or self.upward_imports)


def module_name(root: Path, path: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_modules(root: Path) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = module_name(root, path)
        module = Module(name, path, len(text.splitlines()))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.Import):
                module.imports.extend((alias.name, node.lineno) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(package, node.module, node.level)
                module.imports.append((base, node.lineno))
                # `from planner.views import common` imports the submodule planner.views.common.
                module.imports.extend((f"{base}.{alias.name}", node.lineno) for alias in node.names)
        modules[name] = module
    return modules


def _absolute(package: str, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def dependencies(modules: dict[str, Module]) -> dict[str, dict[str, int]]:
    """module → {module of the package it imports: first line}; names that are not modules are dropped."""
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for module in modules.values():
        for imported, line in module.imports:
            if imported in modules and imported != module.name:
                graph[module.name].setdefault(imported, line)
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components of more than one module (an import cycle each)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
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
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def upward(module: Module, imported: str) -> bool:
    """Whether `module` importing `imported` goes up or sideways in LAYERS."""
    importer_layer = module.layer
    imported_parts = imported.split(".")
    if imported_parts[0] != "planner" or len(imported_parts) < 2 or importer_layer is None:
        return False
    imported_layer = imported_parts[1]
    if imported_layer == importer_layer:
        return False
    if importer_layer not in RANK or imported_layer not in RANK:
        return True  # a package missing from LAYERS: place it before importing it
    return RANK[imported_layer] >= RANK[importer_layer]


def analyse(root: Path, max_lines: int = MAX_LINES) -> Report:
    modules = read_modules(root)
    graph = dependencies(modules)
    cycles = strongly_connected(graph)
    long_modules = [m for m in modules.values() if m.lines > max_lines]
    rich_imports = [
        (module, line)
        for module in modules.values() if module.layer not in RICH_ALLOWED
        for imported, line in module.imports if imported == "rich" or imported.startswith("rich.")
    ]
    upward_imports = []
    for module in modules.values():
        seen = set()
        for imported, line in module.imports:
            target = imported if imported in modules else imported.rpartition(".")[0]
            if target in modules and target not in seen and upward(module, target):
                seen.add(target)
                upward_imports.append((module, target, line))
    unique_rich = {(module.name, line): (module, line) for module, line in rich_imports}
    rich_in_order = [unique_rich[key] for key in sorted(unique_rich)]
    return Report(modules, cycles, long_modules, rich_in_order, upward_imports)


def render(report: Report, root: Path) -> str:
    lines = []
    graph = dependencies(report.modules)
    for number, cycle in enumerate(report.cycles, 1):
        members = set(cycle)
        edges = [f"{a} -> {b} (line {graph[a][b]})" for a in cycle for b in sorted(graph[a]) if b in members]
        lines.append(f"cycle {number}: {', '.join(cycle)}")
        lines.extend(f"    {edge}" for edge in edges)
    for module in sorted(report.long_modules, key=lambda m: -m.lines):
        lines.append(f"too long: {_where(module, root)} has {module.lines} lines")
    for module, line in report.rich_imports:
        lines.append(f"rich outside cli/ and views/: {_where(module, root)}:{line}")
    for module, target, line in report.upward_imports:
        lines.append(f"upward import: {_where(module, root)}:{line} ({module.layer}) imports {target} "
                     f"({target.split('.')[1]})")
    longest = max(report.modules.values(), key=lambda m: m.lines)
    lines.append(
        f"{len(report.modules)} modules; {len(report.cycles)} import cycles; "
        f"{len(report.long_modules)} modules over the limit "
        f"(longest: {longest.name}, {longest.lines} lines); "
        f"{len(report.rich_imports)} rich imports outside cli/views; "
        f"{len(report.upward_imports)} upward imports"
    )
    return "\n".join(lines)


def _where(module: Module, root: Path) -> str:
    try:
        return str(module.path.relative_to(root.parent.parent))
    except ValueError:
        return str(module.path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_root = Path(__file__).resolve().parent.parent / "src" / "planner"
    parser.add_argument("--root", type=Path, default=default_root,
                        help="the package folder (default: src/planner beside tools/)")
    parser.add_argument("--max-lines", type=int, default=MAX_LINES)
    arguments = parser.parse_args(argv)
    root = arguments.root.resolve()
    report = analyse(root, arguments.max_lines)
    print(render(report, root))
    return 0 if report.clean else 1


if __name__ == "__main__":
    sys.exit(main())
