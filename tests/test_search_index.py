"""The search index: what Pagefind is given, and serve's index made in the background.

A build gives Pagefind only the pages it indexes (those carrying data-pagefind-body),
cut down to what it reads (search.search_document); `serve` indexes after the build,
on a thread of its own, and answers /pagefind/ from the newest index ready.
"""
from __future__ import annotations

import gzip
import io
import json
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from site_builder.building.pipeline import BuildConfig, BuildMemory
from site_builder.building.search import BackgroundIndex, search_document
from site_builder.commands import serve as serve_module
from site_builder.commands.serve import build_and_index

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0


def indexed_pages(bundle: Path) -> dict[str, dict]:
    """URL → Pagefind's record of each page in a bundle (its fragment files)."""
    pages = {}
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        pages[record["url"]] = record
    return pages


@pytest.fixture(scope="module")
def site_with_alias(tmp_path_factory, run_cli) -> Path:
    """The minimal site, with a former id for one event, built with search."""
    work = tmp_path_factory.mktemp("search")
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", work / "content")
    event = work / "content" / "timeline" / "2008-example-agreement.yaml"
    event.write_text(event.read_text(encoding="utf-8") + "aliases: [2008-old-agreement]\n", encoding="utf-8")
    result = run_cli("build", "--content", "content", "--out", "build", "--templates", ROOT / "templates", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "build"


def test_only_entry_and_section_pages_are_indexed_in_each_language(site_with_alias: Path):
    built = site_with_alias
    pages = indexed_pages(built / "pagefind")
    marked = {"/" + str(page.relative_to(built).parent) + "/" for page in built.rglob("*.html")
              if "data-pagefind-body" in page.read_text(encoding="utf-8") and page.name == "index.html"}
    assert set(pages) == marked  # every page carrying the attribute, and nothing else
    for url in ("/en/timeline/2008-example-agreement/", "/fr/chronologie/2008-example-agreement/",
                "/en/actors/testland/", "/fr/acteurs/testland/"):
        assert url in pages, url
    # former addresses, short links, bilingual print views, home and search pages are on disk, not in the index
    for path in ("en/timeline/2008-old-agreement/index.html", "e/event/2008-example-agreement/index.html",
                 "en/timeline/2008-example-agreement/bilingual/index.html", "en/index.html", "en/search/index.html"):
        assert (built / path).is_file(), path
        assert "/" + path.removesuffix("index.html") not in pages, path
    assert not [url for url in pages if "/bilingual/" in url or url.startswith("/e/")]
    # one index per language, the page's own: its title, its filter, its words
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text())
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {
        "fr": sum(url.startswith("/fr/") for url in pages), "en": sum(url.startswith("/en/") for url in pages)}
    event = pages["/fr/chronologie/2008-example-agreement/"]
    assert event["meta"]["title"] == "Premier accord d’exemple"
    assert event["filters"] == {"Type": ["Événements"]}
    assert "Testland" in event["content"] and "Notes" not in event["content"]  # footnotes are not indexed


def test_a_search_document_keeps_what_pagefind_reads():
    page = ('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>Drone · Site</title>\n'
            '<link rel="stylesheet" href="x.css">\n</head>\n<body>\n<nav>Menu</nav>\n'
            '<main id="main" data-pagefind-body data-pagefind-filter="Type:Équipements">\n'
            '<nav data-pagefind-ignore><ol><li>Accueil</li></ol></nav>\n<h1>Drone</h1>\n'
            '<p id="p1">Un drone<sup data-pagefind-ignore><a href="#n1">1</a></sup>.</p>\n'
            '<section data-pagefind-ignore><section><h2>Notes</h2></section><p>note</p></section>\n'
            '<p>Fin</p>\n</main>\n<footer>Pied</footer>\n</body>\n</html>\n').encode()
    document = search_document(page)
    assert document is not None
    assert '<html lang="fr">' in document and "<title>Drone · Site</title>" in document
    assert 'data-pagefind-filter="Type:Équipements"' in document and "<h1>Drone</h1>" in document
    assert '<p id="p1">Un drone.</p>' in document and "<p>Fin</p>" in document
    for gone in ("Menu", "Accueil", "Notes", "note", "Pied", "x.css"):
        assert gone not in document, gone
    assert search_document(page.replace(b" data-pagefind-body", b"")) is None


# --- serve: the index made in the background ---------------------------------------------


GATED = ("import os, sys, time\n"
         "gate = sys.argv[1]\n"
         "while not os.path.exists(gate): time.sleep(0.05)\n"
         "os.execv(sys.executable, [sys.executable, '-m', 'pagefind', *sys.argv[2:]])\n")


def _wait(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never {what} within {TIMEOUT} s")
        time.sleep(0.05)


def test_serve_reloads_before_the_index_and_the_index_follows(site_copy: Path, tmp_path: Path):
    """The build is published while Pagefind has not even started (it waits for a gate
    file here); the index of that build arrives afterwards, and an older index never
    replaces a newer one."""
    gate = tmp_path / "gate"
    wrapper = tmp_path / "gated_pagefind.py"
    wrapper.write_text(GATED, encoding="utf-8")
    options = BuildConfig(site_copy, tmp_path / "build", ROOT / "templates", jobs=1)
    memory = BuildMemory.kept_between_builds(options.out)
    reports: list[str] = []
    search = BackgroundIndex(options.out, memory.paths.search_preview, reports.append,
                             command=(sys.executable, str(wrapper), str(gate)))
    try:
        out, err = io.StringIO(), io.StringIO()
        first = build_and_index(options, 1, out, err, memory, search)
        assert first.ok, err.getvalue()
        assert (options.out / "en" / "search" / "index.html").is_file()  # the pages are there…
        assert search.bundles() == [] and not (options.out / "pagefind").exists()  # …the index not yet
        gate.touch()
        _wait(lambda: search.published() == 1, "indexed build 1")
        assert "/en/timeline/2008-example-agreement/" in indexed_pages(search.bundles()[0])

        gate.unlink()  # the next index waits again: build 2's pages are served meanwhile
        event = site_copy / "timeline" / "2008-example-agreement.yaml"
        event.write_text(event.read_text(encoding="utf-8").replace("First example agreement", "Zanzibar accord"),
                         encoding="utf-8")
        second = build_and_index(options, 2, out, err, memory, search)
        assert second.ok, err.getvalue()
        assert "Zanzibar accord" in (options.out / "en/timeline/2008-example-agreement/index.html").read_text()
        time.sleep(0.5)
        assert search.published() == 1  # still build 1's index, served meanwhile
        old = search.bundles()[0]
        assert "Zanzibar" not in indexed_pages(old)["/en/timeline/2008-example-agreement/"]["content"]
        gate.touch()
        _wait(lambda: search.published() == 2, "indexed build 2")
        newest, previous = search.bundles()
        assert previous == old  # kept for a reader who loaded its entry file just before
        assert indexed_pages(newest)["/en/timeline/2008-example-agreement/"]["meta"]["title"] == "Zanzibar accord"
        assert any("up to date with build 2" in line for line in reports), reports
    finally:
        gate.touch()
        search.close()
    assert not any(thread.name == "site-builder-search" for thread in threading.enumerate())


HANGING = "import time\ntime.sleep(600)\n"
EDIT = ("First example", "Second example")


def _indexed_site(site_copy: Path, tmp_path: Path, pagefind: str, reports: list[str]
                  ) -> tuple[BuildConfig, BuildMemory, BackgroundIndex]:
    """serve's options, memory and background index for `site_copy`, with the Python
    script `pagefind` standing in for Pagefind; what the index reports goes to `reports`."""
    script = tmp_path / "pagefind_stand_in.py"
    script.write_text(pagefind, encoding="utf-8")
    options = BuildConfig(site_copy, tmp_path / "build", ROOT / "templates", jobs=1)
    memory = BuildMemory.kept_between_builds(options.out)
    search = BackgroundIndex(options.out, memory.paths.search_preview, reports.append,
                             command=(sys.executable, str(script)))
    return options, memory, search


def _edit_an_event(site_copy: Path) -> None:
    event = site_copy / "timeline" / "2008-example-agreement.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")


def test_a_failed_background_index_is_reported_and_the_preview_goes_on(site_copy: Path, tmp_path: Path):
    reports: list[str] = []
    options, memory, search = _indexed_site(site_copy, tmp_path, "import sys\nsys.exit('Error: no index today')\n",
                                            reports)
    try:
        outcome = build_and_index(options, 1, io.StringIO(), io.StringIO(), memory, search)
        assert outcome.ok
        _wait(lambda: reports, "reported the failure")
        assert "index of build 1 failed" in reports[0] and "no index today" in reports[0]
        assert search.bundles() == []
        # the next build still builds, and asks again
        _edit_an_event(site_copy)
        assert build_and_index(options, 2, io.StringIO(), io.StringIO(), memory, search).ok
        _wait(lambda: len(reports) == 2, "reported the second failure")
        assert "index of build 2 failed" in reports[1]
    finally:
        search.close()


def test_stopping_does_not_wait_for_a_running_index(site_copy: Path, tmp_path: Path):
    reports: list[str] = []
    options, memory, search = _indexed_site(site_copy, tmp_path, HANGING, reports)
    assert build_and_index(options, 1, io.StringIO(), io.StringIO(), memory, search).ok
    _wait(lambda: search._process is not None, "started Pagefind")  # noqa: SLF001 - what is being stopped
    process = search._process  # noqa: SLF001
    started = time.monotonic()
    search.close()
    assert time.monotonic() - started < 5
    assert process.poll() is not None  # killed, not left behind
    assert reports == []  # stopping is not a failure


def test_serve_answers_search_from_the_background_index(site_copy: Path, templates_dir: Path, tmp_path: Path):
    """In serve, the search page says (in the page's language) that the index may lag;
    the index is served at /pagefind/ once made, though not in the build folder."""
    from test_serve import serving

    with serving(tmp_path, templates_dir) as server:
        status, page = server.get("/fr/recherche/")
        assert status == 200
        assert "data-preview-only hidden>Aperçu\u00a0: l’index de recherche est reconstruit" in page
        assert 'querySelectorAll("[data-preview-only]")' in page  # serve's script shows it
        server.wait_for_page("/pagefind/pagefind-entry.json", lambda body: '"fr"' in body and '"en"' in body,
                             "the search index")
        assert server.get("/pagefind/pagefind-ui.js")[0] == 200
        assert server.get("/pagefind/../content/site.yaml")[0] == 404
        assert not (tmp_path / "build" / "pagefind").exists()
        assert server.interrupt() == 0
    assert "Traceback" not in server.stderr.read_text(encoding="utf-8")
    assert "index is up to date with build 1" in server.stderr.read_text(encoding="utf-8")
    built = (tmp_path / "build" / "fr" / "recherche" / "index.html").read_text(encoding="utf-8")
    assert "data-preview-only hidden>" in built and "querySelectorAll" not in built


def test_one_pagefind_run_per_language_makes_the_same_index(site_with_alias: Path, tmp_path: Path):
    """Large sites are indexed one language at a time (half the memory): same pages, same
    records, and an entry file that lists both languages."""
    from site_builder.building.search import site_documents, write_bundle

    documents = site_documents(site_with_alias)
    write_bundle(documents, tmp_path / "bundle", tmp_path / "scratch", split_from=0)
    assert indexed_pages(tmp_path / "bundle") == indexed_pages(site_with_alias / "pagefind")
    entry = json.loads((tmp_path / "bundle" / "pagefind-entry.json").read_text())
    whole = json.loads((site_with_alias / "pagefind" / "pagefind-entry.json").read_text())
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {
        lang: info["page_count"] for lang, info in whole["languages"].items()}
    assert {key: value for key, value in entry.items() if key != "languages"} == {
        key: value for key, value in whole.items() if key != "languages"}
    for lang, info in entry["languages"].items():
        assert (tmp_path / "bundle" / f"pagefind.{info['hash']}.pf_meta").is_file(), lang
    assert not (tmp_path / "scratch").exists() or not any((tmp_path / "scratch").iterdir())


def test_the_preview_index_follows_added_and_deleted_entries(site_copy: Path, tmp_path: Path):
    """Only the pages a build rendered are read again (a few at a time here); a deleted
    entry's pages leave the index, a new entry's join it."""
    options = BuildConfig(site_copy, tmp_path / "build", ROOT / "templates", jobs=1)
    memory = BuildMemory.kept_between_builds(options.out)
    reports: list[str] = []
    search = BackgroundIndex(options.out, memory.paths.search_preview, reports.append)
    search.READ_BATCH = 3
    try:
        assert build_and_index(options, 1, io.StringIO(), io.StringIO(), memory, search).ok
        _wait(lambda: search.published() == 1, "indexed build 1")
        first = indexed_pages(search.bundles()[0])
        assert "/fr/chronologie/2022-06-example-delivery/" in first
        timeline = site_copy / "timeline"
        (timeline / "2022-06-example-delivery.yaml").unlink()
        added = (timeline / "2020-09-example-trials.yaml").read_text(encoding="utf-8")
        (timeline / "2023-01-brand-new.yaml").write_text(
            added.replace("id: 2020-09-example-trials", "id: 2023-01-brand-new").replace("date: 2020-09/2020-11", "date: 2023-01"),
            encoding="utf-8")
        err = io.StringIO()
        assert build_and_index(options, 2, io.StringIO(), err, memory, search).ok, err.getvalue()
        _wait(lambda: search.published() == 2, "indexed build 2")
        second = indexed_pages(search.bundles()[0])
        assert "/fr/chronologie/2022-06-example-delivery/" not in second
        assert "/en/timeline/2023-01-brand-new/" in second and "/fr/chronologie/2023-01-brand-new/" in second
        assert len(second) == len(first)
    finally:
        search.close()


def _state(pid: int, expected: str) -> str:
    """A process's state letter (Linux /proc: 'T' when stopped), once it is `expected` or
    after 2 s (a signal takes effect when the process next runs)."""
    deadline = time.monotonic() + 2
    while True:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == expected or time.monotonic() > deadline:
            return state
        time.sleep(0.01)


def test_a_build_stops_a_running_background_index_until_it_is_published(site_copy: Path, tmp_path: Path, monkeypatch):
    """On two cores, Pagefind running beside the editor's next build made the build wait:
    at 5,000 entries a hub edit in serve took 19 s with search on, against 3 s without.
    Pagefind is stopped while a build runs and goes on afterwards."""
    seen: list[str] = []
    options, memory, search = _indexed_site(site_copy, tmp_path, HANGING, [])
    try:
        assert build_and_index(options, 1, io.StringIO(), io.StringIO(), memory, search).ok
        _wait(lambda: search._process is not None, "started Pagefind")  # noqa: SLF001 - what is paused
        process = search._process  # noqa: SLF001
        _edit_an_event(site_copy)
        real_build = serve_module.build

        def build_watched(*args, **kwargs):  # (the build serve runs, looked at as it starts)
            seen.append(_state(process.pid, "T"))
            return real_build(*args, **kwargs)

        monkeypatch.setattr(serve_module, "build", build_watched)
        assert build_and_index(options, 2, io.StringIO(), io.StringIO(), memory, search).ok
        assert seen == ["T"]  # stopped while the build ran
        assert _state(process.pid, "S") == "S"  # and going on (sleeping) since
    finally:
        search.close()


def test_serve_started_on_a_site_build_indexed_has_nothing_to_do_and_answers_from_its_index(
        site_copy: Path, templates_dir: Path, tmp_path: Path, run_cli):
    """`make site` then `serve`: the site `build` made with its index is up to date for the
    preview, which builds without one (the pages are the same): serve starts without
    building (a real build that rendered nothing: 5.8 s at 5,000 entries) and answers
    /pagefind/ from the site's own index until its first edit."""
    from test_serve import serving

    built = run_cli("build", "--content", "content", "--out", "build", "--templates", templates_dir, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    entry = (tmp_path / "build" / "pagefind" / "pagefind-entry.json").read_bytes()
    before = (tmp_path / "build" / "en" / "index.html").stat().st_ino  # the live site is not replaced
    with serving(tmp_path, templates_dir) as server:
        status, body = server.get("/pagefind/pagefind-entry.json")
        assert status == 200 and body.encode("utf-8") == entry
        assert (tmp_path / "build" / "en" / "index.html").stat().st_ino == before
        time.sleep(1.0)  # (the background index would have started by now)
        assert "index is up to date" not in server.stderr.read_text(encoding="utf-8")  # nothing indexed again
        _edit_an_event(site_copy)  # the first edit: the preview's own index is made, as before
        server.wait_for_page("/pagefind/pagefind-entry.json", lambda _: "index is up to date with build 2"
                             in server.stderr.read_text(encoding="utf-8"), "the preview's own index")
        assert server.get("/pagefind/pagefind-entry.json")[0] == 200
        assert server.interrupt() == 0
    assert "Traceback" not in server.stderr.read_text(encoding="utf-8")


def test_started_on_an_indexed_site_the_preview_reads_its_pages_before_the_first_edit(site_copy: Path, tmp_path: Path,
                                                                                      run_cli, monkeypatch):
    """With nothing to build at start (`make site` made the index), the preview still
    needs every page's search document for its first index: it reads them while the
    editor reads, so that the first edit reads only the pages it rendered (at 5,000
    entries, reading 10,000 pages took 2 s of the serve process beside the next edit)."""
    from site_builder.building import search as search_module

    built = run_cli("build", "--content", "content", "--out", "build", "--templates", ROOT / "templates",
                    cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    read: list[list[str]] = []
    original = search_module.site_documents

    def counting(site, pages):
        read.append(list(pages))
        return original(site, pages)

    monkeypatch.setattr(search_module, "site_documents", counting)
    options = BuildConfig(site_copy, tmp_path / "build", ROOT / "templates", jobs=1)
    memory = BuildMemory.kept_between_builds(options.out)
    reports: list[str] = []
    search = BackgroundIndex(options.out, memory.paths.search_preview, reports.append)
    try:
        first = build_and_index(options, 1, io.StringIO(), io.StringIO(), memory, search)
        assert first.ok and first.unchanged
        pages = {str(p.relative_to(options.out)) for p in options.out.rglob("*.html")}
        _wait(lambda: sum(len(batch) for batch in read) == len(pages), "read every page")
        time.sleep(0.3)
        assert search.bundles() == [] and not reports  # read, not indexed: the site has its index
        read.clear()
        _edit_an_event(site_copy)
        second = build_and_index(options, 2, io.StringIO(), io.StringIO(), memory, search)
        assert second.ok
        _wait(lambda: search.published() == 2, "indexed build 2")
        again = {page for batch in read for page in batch}
        assert again and again <= set(second.rendered) and len(again) < len(pages) / 2
        marked = {"/" + str(page.relative_to(options.out).parent) + "/" for page in options.out.rglob("index.html")
                  if "data-pagefind-body" in page.read_text(encoding="utf-8")}
        assert set(indexed_pages(search.bundles()[0])) == marked  # every page, though few were read again
    finally:
        search.close()
