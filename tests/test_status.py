"""`site-builder status`: the translation and coverage report. It never fails."""
from __future__ import annotations

import json
from pathlib import Path

SUMMARY = "Status: "


def status(run_cli, tmp_path: Path, *args: str):
    result = run_cli("status", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_clean_fixture_reports_only_unlinked_entries(site_copy, run_cli, tmp_path):
    out = status(run_cli, tmp_path)
    assert out.strip().splitlines()[-1] == (
        "Status: 0 missing translation(s), 0 untranslated copy(ies), 0 paragraph-count mismatch(es), "
        "0 translation(s) edited after their counterpart, 0 uncited note(s), 5 entry(ies) nothing links to.")
    assert "content/equipment/example-missile.yaml:1:5: no other page links to equipment 'example-missile'" in out
    assert "No .translations.json yet" in out


def test_untranslated_copy(site_copy, run_cli, tmp_path):
    replace(site_copy / "actors" / "jane-example.yaml",
            "Researcher at the [Example Institute](actor:example-institute).",
            "Chercheuse à l'[Institut d'exemple](actor:example-institute).")
    out = status(run_cli, tmp_path)
    assert "Untranslated copies: the same text in both languages: 1" in out
    assert "content/actors/jane-example.yaml:9:7: summary: the English is the same as the French" in out
    assert "1 untranslated copy(ies)" in out


def test_paragraph_count_mismatch(site_copy, run_cli, tmp_path):
    replace(site_copy / "timeline" / "2021-03-15-example-contract.yaml",
            "  fr: >-\n    Le montant serait",
            "  fr: |-\n    Un premier paragraphe.\n\n    Le montant serait")
    out = status(run_cli, tmp_path)
    assert ("content/timeline/2021-03-15-example-contract.yaml:16:3: body: 2 paragraph(s) in French, 1 in English"
            in out), out
    assert "1 paragraph-count mismatch(es)" in out


def test_translation_edited_after_its_counterpart(site_copy, run_cli, tmp_path):
    marked = run_cli("status", "--mark-synced", cwd=tmp_path)
    assert marked.returncode == 0 and "Marked" in marked.stdout
    lock = json.loads((site_copy / ".translations.json").read_text())
    assert lock["fields"]["actor:testland"]["summary"].keys() == {"fr", "en"}
    assert "0 translation(s) edited after their counterpart" in status(run_cli, tmp_path)

    testland = site_copy / "actors" / "testland.yaml"
    replace(testland, "Un État imaginaire", "Un État tout à fait imaginaire")  # French only
    out = status(run_cli, tmp_path)
    assert ("content/actors/testland.yaml:7:7: summary: the French was edited after the last sync; "
            "check the English") in out
    assert "1 translation(s) edited after their counterpart" in out

    replace(testland, "An imaginary state", "An entirely imaginary state")  # the English follows
    assert "0 translation(s) edited after their counterpart" in status(run_cli, tmp_path)

    replace(testland, "An entirely imaginary state", "An entirely\n    imaginary state")  # re-wrapping is no edit
    replace(site_copy / "themes" / "trade.yaml", "Sales of equipment", "Sales of weapons")
    out = status(run_cli, tmp_path)
    assert "content/themes/trade.yaml:8:7: description: the English was edited after the last sync; check the French" in out
    assert "testland" not in out.split("Translations edited")[1].split("\n\n")[0]

    # marking one entry leaves the others as they were recorded
    assert run_cli("status", "--mark-synced", "theme:trade", cwd=tmp_path).returncode == 0
    assert "0 translation(s) edited after their counterpart" in status(run_cli, tmp_path)
    unknown = run_cli("status", "--mark-synced", "theme:nope", cwd=tmp_path)
    assert unknown.returncode == 2 and "no entry theme:nope" in unknown.stderr


def test_renamed_entry_keeps_its_sync_record(site_copy, run_cli, tmp_path):
    assert run_cli("status", "--mark-synced", cwd=tmp_path).returncode == 0
    old = site_copy / "themes" / "trade.yaml"
    text = old.read_text().replace("id: trade\n", "id: commerce\naliases: [trade]\n").replace("Sales of equipment", "Sales of arms")
    (site_copy / "themes" / "commerce.yaml").write_text(text)
    old.unlink()
    out = status(run_cli, tmp_path)
    assert "content/themes/commerce.yaml:9:7: description: the English was edited after the last sync" in out


def test_uncited_note(site_copy, run_cli, tmp_path):
    path = site_copy / "notes" / "example-report.yaml"
    path.write_text(path.read_text() + "  - id: example-report-4\n    text:\n      fr: Note orpheline.\n      en: Orphan note.\n")
    out = status(run_cli, tmp_path)
    assert "Notes defined but never cited: 1" in out
    assert "content/notes/example-report.yaml:19:9: note 'example-report-4' is never cited" in out
    assert "1 uncited note(s)" in out


def test_missing_translation_is_reported_and_status_still_succeeds(site_copy, run_cli, tmp_path):
    replace(site_copy / "actors" / "jane-example.yaml",
            "  en: >-\n    Researcher at the [Example Institute](actor:example-institute).\n", "")
    out = status(run_cli, tmp_path)
    assert "content/actors/jane-example.yaml:6:1: missing English text ('en') in 'summary'" in out
    assert "1 missing translation(s)" in out
