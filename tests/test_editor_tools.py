"""`site-builder new` and `site-builder schema`: the editor's tools agree with the models."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from site_builder.content.models import KIND_MODELS, Note
from site_builder.core.kinds import KIND, KINDS as REGISTRY
from site_builder.content.schema import schema_texts
from site_builder.content.yaml_source import load_file

ROOT = Path(__file__).parent.parent
KINDS = ["site", *KIND]


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text()))


def _content_files(root: Path) -> list[tuple[str, Path]]:
    files = [("site", root / "site.yaml")]
    for kind in REGISTRY:
        files += [(kind.id, path) for path in sorted((root / kind.folder).glob("*.yaml"))]
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


@pytest.mark.parametrize("kind", list(KIND))
def test_new_writes_every_field_and_is_refused_until_filled(kind, site_copy, run_cli, tmp_path):
    result = run_cli("new", kind, f"fresh-{kind}", "--schemas", ROOT / "schemas", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = KIND[kind].folder
    path = tmp_path / "content" / folder / f"fresh-{kind}.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    written = load_file(path, str(path))[0].data
    entry, model = (written["notes"][0], Note) if kind == "note" else (written, KIND_MODELS[kind])
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


def test_every_schema_is_valid_for_a_real_validator(tmp_path):
    """check-jsonschema checks each schema against its metaschema, patterns included as
    ECMA-262 regular expressions in unicode mode (what JSON Schema's "regex" means, and
    what editors' validators compile): a pattern only Python accepts would make strict
    tooling refuse the whole schema."""
    files = []
    for name, text in schema_texts().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--check-metaschema", *files],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _patterns(schema: object) -> list[str]:
    if isinstance(schema, dict):
        found = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
        return found + [p for value in schema.values() for p in _patterns(value)]
    if isinstance(schema, list):
        return [p for value in schema for p in _patterns(value)]
    return []


@pytest.mark.parametrize("text, expected", [("https://example.org/a?b=c", True), ("http://x.y", True),
                                             ('https://x.y/"quoted"', False), ("https://x.y/<b>", False),
                                             ("https://x.y/a b", False), ("ftp://x.y", False)])
def test_url_pattern_means_the_same_in_python_and_ecma262(text, expected):
    import regress

    urls = {p for name, schema in schema_texts().items() for p in _patterns(json.loads(schema)) if "https?" in p}
    assert urls, "no URL pattern in the schemas"
    for pattern in urls:
        assert (re.search(pattern, text) is not None) == expected, pattern
        assert (regress.Regex(pattern, "u").find(text) is not None) == expected, pattern
