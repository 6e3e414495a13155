"""JSON Schemas for every kind of content file, generated from the models.

The same pydantic models that validate a build produce these schemas, so an
editor's YAML-aware editor (via the yaml-language-server modeline at the top of
each file) autocompletes fields and underlines mistakes exactly as the build
would reject them.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import KIND_MODELS, SiteSettings

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_models() -> dict[str, type[BaseModel]]:
    """Schema name -> model: one per kind of content file."""
    models: dict[str, type[BaseModel]] = {"site": SiteSettings}
    return models | dict(KIND_MODELS)


def schema_for(name: str, model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, "$id": f"{name}.schema.json",
            "title": f"site-builder {name} file", **schema}


def schema_texts() -> dict[str, str]:
    """File name -> JSON text, stable (sorted keys) so regenerating changes nothing."""
    return {f"{name}.schema.json": json.dumps(schema_for(name, model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            for name, model in schema_models().items()}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def modeline(kind: str, content_file: Path, schemas: Path) -> str:
    """The comment that points yaml-language-server (VS Code, Neovim, ...) at the schema."""
    relative = os.path.relpath(schemas / f"{kind}.schema.json", content_file.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"
