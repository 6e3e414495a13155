"""Lasting links: a renamed entry keeps its old addresses (aliases), links written
with a former id still work, and every entry has a language-neutral short link."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).parent.parent / "templates"
BASE = "https://example.org/dynamics/"


def rename_radar(site_copy: Path) -> None:
    """The fixture's example-radar becomes example-sensor, which lists its former id.
    The event that links to it (relation field and prose) is left as it was."""
    old = site_copy / "equipment" / "example-radar.yaml"
    text = old.read_text().replace("id: example-radar\n", "id: example-sensor\naliases: [example-radar]\n", 1)
    (site_copy / "equipment" / "example-sensor.yaml").write_text(text)
    old.unlink()


def build(run_cli, tmp_path: Path, *extra: str):
    return run_cli("build", "--templates", TEMPLATES, "--no-search", *extra, cwd=tmp_path)


def test_renamed_entry_old_address_redirects_in_both_languages(site_copy, run_cli, tmp_path):
    rename_radar(site_copy)
    result = build(run_cli, tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build"
    for lang, section in (("fr", "equipements"), ("en", "equipment")):
        page = (out / lang / section / "example-radar" / "index.html").read_text()
        assert f'<html lang="{lang}">' in page
        assert '<meta http-equiv="refresh" content="0; url=../example-sensor/">' in page
        assert f'<link rel="canonical" href="{BASE}{lang}/{section}/example-sensor/">' in page
        assert '<meta name="robots" content="noindex">' in page
        assert re.search(r'<a href="\.\./example-sensor/" data-redirect>[^<]+</a>', page)  # visible link
        assert (out / lang / section / "example-sensor" / "index.html").is_file()
    redirects = (out / "_redirects").read_text().splitlines()
    assert "/dynamics/fr/equipements/example-radar/ /dynamics/fr/equipements/example-sensor/ 301" in redirects
    assert "/dynamics/en/equipment/example-radar/ /dynamics/en/equipment/example-sensor/ 301" in redirects
    assert "example-radar" not in (out / "sitemap.xml").read_text()


def test_redirects_file_uses_the_base_url_path(site_copy, run_cli, tmp_path):
    rename_radar(site_copy)
    result = build(run_cli, tmp_path, "--base-url", "https://teach.example.net/")
    assert result.returncode == 0, result.stderr
    assert "/fr/equipements/example-radar/ /fr/equipements/example-sensor/ 301" in (
        tmp_path / "build" / "_redirects").read_text().splitlines()


def test_links_with_a_former_id_resolve_with_a_warning(site_copy, run_cli, tmp_path):
    rename_radar(site_copy)
    result = build(run_cli, tmp_path)
    assert result.returncode == 0, result.stderr
    hint = "warning: 'example-radar' is a former id of equipment 'example-sensor' (write 'example-sensor' instead)"
    # the prose links (fr line 8, en line 11) and the relation field `equipment: [example-radar]`
    for place in ("8:55", "11:57", "14:13"):
        assert f"content/timeline/2020-09-example-trials.yaml:{place}: {hint}" in result.stderr
    out = tmp_path / "build"
    event = (out / "en" / "timeline" / "2020-09-example-trials" / "index.html").read_text()
    assert 'href="../../equipment/example-sensor/"' in event and "example-radar" not in event
    sensor = (out / "en" / "equipment" / "example-sensor" / "index.html").read_text()
    backlinks = sensor[sensor.index('class="backlinks"'):]
    assert 'href="../../timeline/2020-09-example-trials/"' in backlinks
    assert 'id="entry-events"' in sensor  # the event lists it: its relation was rewritten to the live id
    # --strict makes the warning an error
    assert build(run_cli, tmp_path, "--strict").returncode == 1


MISSILE_WITH = "id: example-missile\naliases: [{}]\n"


def _missile_aliases(site_copy: Path, aliases: str) -> None:
    path = site_copy / "equipment" / "example-missile.yaml"
    path.write_text(path.read_text().replace("id: example-missile\n", MISSILE_WITH.format(aliases), 1))


def test_alias_colliding_with_a_live_id_is_refused_with_its_position(site_copy, run_cli, tmp_path):
    _missile_aliases(site_copy, "old-missile, example-drone")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert ("content/equipment/example-missile.yaml:2:24: error: alias 'example-drone' is the id of another "
            "equipment (defined at content/equipment/example-drone.yaml:1:5) (a former id must not be in use: "
            "remove the alias, or rename the equipment that uses it)") in result.stderr


@pytest.mark.parametrize("aliases, expected", [
    ("example-missile", "content/equipment/example-missile.yaml:2:11: error: alias 'example-missile' is this entry's own id"),
    ("old-missile, old-missile", "content/equipment/example-missile.yaml:2:24: error: alias 'old-missile' is listed twice"),
    ('"../x"', "content/equipment/example-missile.yaml:2:11: error: '../x' is not a valid id"),
    ("Old Missile", "content/equipment/example-missile.yaml:2:11: error: 'Old Missile' is not a valid id"),
])
def test_invalid_aliases_are_refused_with_their_position(aliases, expected, site_copy, run_cli, tmp_path):
    _missile_aliases(site_copy, aliases)
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr


def test_alias_claimed_by_two_entries_is_refused(site_copy, run_cli, tmp_path):
    rename_radar(site_copy)
    _missile_aliases(site_copy, "example-radar")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    assert ("content/equipment/example-sensor.yaml:2:11: error: alias 'example-radar' is also claimed by "
            "equipment 'example-missile' (at content/equipment/example-missile.yaml:2:11)") in result.stderr


def test_same_alias_in_two_kinds_is_fine(site_copy, run_cli, tmp_path):
    """Ids are unique only within a kind, and so are aliases (and short links carry the kind)."""
    _missile_aliases(site_copy, "trade")  # a theme's id, but not an equipment's
    assert run_cli("check", cwd=tmp_path).returncode == 0


def test_short_link_of_every_entry_offers_both_languages(site_copy, run_cli, tmp_path):
    rename_radar(site_copy)
    assert build(run_cli, tmp_path).returncode == 0
    out = tmp_path / "build"
    page = (out / "e" / "actor" / "testland" / "index.html").read_text()
    assert '<a href="../../../fr/acteurs/testland/" hreflang="fr" data-language="fr">Lire en français</a>' in page
    assert '<a href="../../../en/actors/testland/" hreflang="en" data-language="en">Read in English</a>' in page
    assert '<script src="../../../assets/redirect.js" defer></script>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "http-equiv" not in page  # no timed redirect to a default language: without script, the reader picks
    for kind, folder in (("event", "timeline"), ("equipment", "equipment"), ("source", "sources"),
                         ("theme", "themes"), ("dataset", "data")):
        assert all((out / "e" / kind / p.stem / "index.html").is_file() for p in (site_copy / folder).glob("*.yaml"))
    # a former id keeps its short link too, leading to the live entry
    assert 'href="../../../en/equipment/example-sensor/"' in (out / "e" / "equipment" / "example-radar" / "index.html").read_text()
    assert "/e/" not in (out / "sitemap.xml").read_text()
    # the entry page shows its short link
    entry = (out / "en" / "actors" / "testland" / "index.html").read_text()
    assert f'<a href="../../../e/actor/testland/">{BASE}e/actor/testland/</a>' in entry


def test_only_the_entries_naming_a_former_id_are_rewritten_and_the_result_is_the_same(site_copy):
    """Resolving former ids rewrote every entry of the site (0.15 s of every edit at
    5,000 entries) although only those naming a former id can change: checking the
    references lists them (Links.former_ids), and only they are rewritten."""
    from site_builder.building import steps
    from site_builder.content.aliases import canonicalize
    from site_builder.content.library import Library
    from site_builder.content.links import check_references

    rename_radar(site_copy)
    read = steps.read(site_copy, 1, lambda _: None)
    library = Library.from_loaded(read.content)
    links, _problems = check_references(library, read.refs)
    assert ("event", "2020-09-example-trials") in links.former_ids  # its relation names example-radar
    every, only = canonicalize(library), canonicalize(library, links.former_ids)
    assert only.entries == every.entries and only.site == every.site and only.note_documents == every.note_documents
    assert only.entries["event"]["2020-09-example-trials"].equipment == ["example-sensor"]
    untouched = [(kind, id) for kind, items in library.entries.items() for id in items
                 if (kind, id) not in links.former_ids]
    assert untouched and all(only.entries[kind][id] is library.entries[kind][id] for kind, id in untouched)
