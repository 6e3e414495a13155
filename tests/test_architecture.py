"""Imports point one way: from the command line down to errors. A module may
import only modules of lower layers, so the pipeline reads top to bottom and no
low-level module grows a dependency on rendering or the CLI."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "site_builder"

LAYERS = [
    {"errors", "confine", "dates", "typography", "urls", "charts", "share_image", "qr", "fingerprint"},
    {"webmanifest", "pictures", "geo"},
    {"yaml_source", "models", "i18n", "sitemap", "write", "cache", "permalinks", "memo"},
    {"loading", "markdown", "schema", "search", "citation"},
    {"reference"},
    {"scaffold", "new_explainer"},
    {"library"},
    {"links", "exports", "aliases"},
    {"meta"},
    {"views", "status", "reading"},
    {"render", "state"},
    {"bilingual", "redirects", "feeds"},
    {"jobs"},
    {"dependencies"},
    {"fragments"},
    {"parallel"},
    {"output"},
    {"pipeline"},
    {"serve"},
    {"cli"},
    {"__main__"},
]


def _layer(module: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if module in layer)


def _internal_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("site_builder."):
            found.add(node.module.split(".")[1])
    return found


def test_every_module_has_a_layer():
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules <= set().union(*LAYERS), modules - set().union(*LAYERS)


def test_imports_point_down_only():
    wrong = []
    for path in PACKAGE.glob("*.py"):
        if path.stem == "__init__":
            continue
        for imported in _internal_imports(path):
            if _layer(imported) >= _layer(path.stem):
                wrong.append(f"{path.stem} imports {imported}")
    assert not wrong, wrong
