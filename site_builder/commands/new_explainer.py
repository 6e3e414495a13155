"""`site-builder init DIR`: a new explainer, ready to check, build and serve.

The new folder holds a small bilingual starter site (one entry of each kind, each
text saying what to write in its place), a copy of the templates this version of
the generator ships, the JSON Schemas of the content files and a .gitignore:

    DIR/content/     site.yaml and one entry of each kind
    DIR/templates/   the site's look: edit freely, it is the team's own copy
    DIR/schemas/     for editors' YAML tooling (the modeline atop each file)
    DIR/.gitignore   build output and caches

It is assembled in a sibling folder and renamed into place, so a failure leaves
nothing half-made behind, and an existing non-empty folder is never touched.
"""
from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from ..content.schema import write_schemas

PACKAGE = Path(__file__).resolve().parent.parent  # site_builder
STARTER = Path(__file__).resolve().parent / "starter"
# In a wheel, the templates are package data (pyproject.toml maps templates/ there);
# in a checkout or an editable install, they are the repository's own templates/.
_TEMPLATE_PLACES = (PACKAGE / "site_templates", PACKAGE.parent / "templates")


class InitError(Exception):
    """The new explainer cannot be made where asked; the message says why and what to do."""


def bundled_templates() -> Path:
    """The templates shipped with this version of the generator."""
    for place in _TEMPLATE_PLACES:
        if (place / "base.html").is_file():
            return place
    raise InitError("this installation of site-builder has no templates; reinstall it")  # pragma: no cover


def init_explainer(target: Path) -> Path:
    """Write a new explainer into `target` (which must be absent or empty); returns it."""
    target = target.absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} already exists and is not an empty folder; choose a new folder name")
    if not target.parent.is_dir():
        raise InitError(f"{target.parent}: folder not found; create it first or choose another place")
    templates = bundled_templates()
    staging = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        staging.mkdir()  # (with the user's umask, as the folders inside it)
    except OSError as exc:
        raise InitError(f"{target.parent}: cannot write there ({exc.strerror})") from exc
    try:
        shutil.copytree(STARTER / "content", staging / "content")
        shutil.copytree(templates, staging / "templates",
                        ignore=shutil.ignore_patterns("__pycache__", "__init__.py", "*.pyc"))
        write_schemas(staging / "schemas")
        shutil.copyfile(STARTER / "gitignore", staging / ".gitignore")
        if target.exists():
            target.rmdir()  # empty, checked above
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InitError(f"{target}: cannot write the new explainer ({exc.strerror or exc})") from exc
    return target

