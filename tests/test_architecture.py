"""The package's layers, as folders, and the rules between them (docs/architecture.md).

    core/      the vocabulary every layer shares: errors, positions, dates, typography, kinds
    content/   files to a checked, resolved library (YAML, models, loading, links, prose)
    render/    the library to pages, in memory (views, templates' helpers, exports, pictures)
    building/  a build: read, plan, render on every core, write, publish, remember
    commands/  what the user runs (cli, serve, status, new, init)

A module imports only its own folder and the folders below it, and a folder's modules
never import each other in a loop, so the code reads from the command line down to
errors and no low-level module grows a dependency on building or on the CLI.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "site_builder"
FLOORS = ["core", "content", "render", "building", "commands"]  # bottom to top
# The incremental layer: what one build remembers for the next. Rendering never
# knows about it: a page reports what it reads to a recorder it is given.
INCREMENTAL = {"building.cache", "building.state", "building.memo", "building.dependencies", "building.fragments"}


def _modules() -> dict[str, Path]:
    """'folder.module' -> path, for every module of the package but its faces."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).with_suffix("")
        if relative.name != "__init__":
            found[".".join(relative.parts)] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """The package modules that `name` imports ('folder.module')."""
    package = name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
            target = [*base, *(node.module or "").split(".")]
        elif (node.module or "").startswith("site_builder."):
            target = node.module.split(".")[1:]
        else:
            continue
        found.add(".".join(part for part in target if part))
    return found


def _floor(name: str) -> int:
    return FLOORS.index(name.split(".")[0]) if name != "__main__" else len(FLOORS)


def test_every_module_lives_in_a_layer():
    loose = [name for name in _modules() if name != "__main__" and name.split(".")[0] not in FLOORS]
    assert not loose, f"modules outside the layers {FLOORS}: {loose}"


def test_imports_point_down_or_sideways_only():
    wrong = [f"{name} imports {imported}" for name, path in _modules().items()
             for imported in _imports(name, path) if _floor(imported) > _floor(name)]
    assert not wrong, wrong


def test_no_loops_within_a_folder():
    graph = {name: {i for i in _imports(name, path) if i.split(".")[0] == name.split(".")[0]}
             for name, path in _modules().items()}
    visiting, done, loops = set(), set(), []

    def visit(node: str, trail: list[str]) -> None:
        if node in done:
            return
        if node in visiting:
            loops.append(" -> ".join(trail[trail.index(node):] + [node]))
            return
        visiting.add(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, trail + [node])
        visiting.discard(node)
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    assert not loops, loops


def test_only_the_build_knows_the_incremental_layer():
    wrong = [f"{name} imports {imported}" for name, path in _modules().items()
             for imported in _imports(name, path) if imported in INCREMENTAL and not name.startswith("building.")]
    assert not wrong, wrong


def test_imports_name_real_modules():
    """The rules above mean something only if every import was understood."""
    modules = set(_modules()) | {"core", "content", "render", "building", "commands"}
    unknown = [f"{name} imports {imported}" for name, path in _modules().items()
               for imported in _imports(name, path) if imported not in modules]
    assert not unknown, unknown
