"""`site-builder new` and `site-builder schema`: the editor's tools agree with the models."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from site_builder.models import KIND_FOLDERS, Note
from site_builder.schema import schema_texts
from site_builder.yaml_source import load_file

ROOT = Path(__file__).parent.parent
KINDS = ["site", *KIND_FOLDERS]


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text()))


def _content_files(root: Path) -> list[tuple[str, Path]]:
    files = [("site", root / "site.yaml")]
    for kind, (folder, _model) in KIND_FOLDERS.items():
        files += [(kind, path) for path in sorted((root / folder).glob("*.yaml"))]
    return files


def test_committed_schemas_match_the_models():
    for name, text in schema_texts().items():
        assert (ROOT / "schemas" / name).read_text() == text, f"schemas/{name} is stale: run `site-builder schema`"


@pytest.mark.parametrize("root", [ROOT / "content", ROOT / "tests/fixtures/minimal"], ids=["content", "fixture"])
def test_schemas_accept_every_content_file(root):
    for kind, path in _content_files(root):
        source, problems = load_file(path, str(path))
        assert not problems
        errors = [e.message for e in _validator(kind).iter_errors(source.data)]
        assert not errors, f"{path}: {errors}"


def test_every_content_file_points_to_its_schema():
    for kind, path in _content_files(ROOT / "content"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={'../' * (len(path.relative_to(ROOT / 'content').parts))}schemas/{kind}.schema.json", path


@pytest.mark.parametrize("kind, data", [
    ("actor", {"id": "x", "kind": "person", "name": "X", "summary": {"fr": "a"}, "sources": ["s"]}),  # missing en
    ("actor", {"id": "x", "kind": "person", "name": "X", "summary": {"fr": "a", "en": " "}, "sources": ["s"]}),  # blank
    ("actor", {"id": "X Y", "kind": "person", "name": "X", "summary": {"fr": "a", "en": "b"}, "sources": ["s"]}),
    ("actor", {"id": "x", "kind": "robot", "name": "X", "summary": {"fr": "a", "en": "b"}, "sources": ["s"]}),
    ("event", {"id": "x", "date": "04/10/2023", "title": {"fr": "a", "en": "b"}, "summary": {"fr": "a", "en": "b"},
               "sources": ["s"]}),
    ("theme", {"id": "x", "titel": {"fr": "a", "en": "b"}, "description": {"fr": "a", "en": "b"}}),
])
def test_schemas_reject_broken_entries(kind, data):
    assert list(_validator(kind).iter_errors(data))


@pytest.mark.parametrize("kind", list(KIND_FOLDERS))
def test_new_writes_every_field_and_is_refused_until_filled(kind, site_copy, run_cli, tmp_path):
    result = run_cli("new", kind, f"fresh-{kind}", "--schemas", ROOT / "schemas", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = KIND_FOLDERS[kind][0]
    path = tmp_path / "content" / folder / f"fresh-{kind}.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    written = load_file(path, str(path))[0].data
    entry, model = (written["notes"][0], Note) if kind == "note" else (written, KIND_FOLDERS[kind][1])
    assert set(model.model_fields) <= set(entry), set(model.model_fields) - set(entry)
    check = run_cli("check", cwd=tmp_path)
    assert check.returncode == 1 and f"content/{folder}/fresh-{kind}.yaml:" in check.stderr


def test_new_refuses_existing_and_unsafe_ids(site_copy, run_cli, tmp_path):
    existing = run_cli("new", "actor", "testland", cwd=tmp_path)
    assert existing.returncode == 1 and "already exists" in existing.stderr
    existing_note = run_cli("new", "note", "example-report-1", cwd=tmp_path)
    assert existing_note.returncode == 1 and "already exists" in existing_note.stderr
    for bad in ("../x", "Upper", "has space", "/etc/passwd"):
        result = run_cli("new", "actor", bad, cwd=tmp_path)
        assert result.returncode == 1 and "is not a valid id" in result.stderr, bad
    assert not list((tmp_path / "content").rglob("*passwd*"))
