"""Incremental builds: after a change, only the pages that depend on it are
rendered, and the site is byte for byte the one a clean build makes.

Each scenario edits a copy of the minimal site, builds it incrementally (the
previous build's state and spare folder in place) and compares the result with
a clean build of the same content into another folder.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from site_builder.building.cache import load_record
from site_builder.building.memory import CachePaths
from site_builder.building.pipeline import BuildConfig, BuildMemory, build as build_site
from site_builder.content.loading import content_files
from site_builder.building.fragments import store_file
from site_builder.building.memo import HEADER_SIZE, MemoFile
from site_builder.building.state import load_state as load_state_file

TEMPLATES = Path(__file__).parent.parent / "templates"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest(folder: Path) -> dict[str, list[int]]:
    """[size, mtime_ns] of every file under `folder`, by "/"-separated relative path."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            found[path.relative_to(folder).as_posix()] = [info.st_size, info.st_mtime_ns]
    return found


def options(content: Path, out: Path, templates: Path = TEMPLATES, jobs: int = 1) -> BuildConfig:
    return BuildConfig(content=content, out=out, templates=templates, search=False, jobs=jobs)


# Only long lists keep their items between builds (fragments.MIN_KEPT); the lists of
# this small site are short, so here every list keeps them.
EVERY_LIST = {"keep_lists_from": 1}


def build(config: BuildConfig, memory: BuildMemory | None = None, **kwargs):
    return build_site(config, memory=memory or BuildMemory(config.out, **EVERY_LIST), **kwargs)


def session(out: Path) -> BuildMemory:
    """The memory `serve` keeps between builds."""
    return BuildMemory.kept_between_builds(out, **EVERY_LIST)


def paths(out: Path) -> CachePaths:
    return CachePaths.of(out)


def load_state(out: Path):
    return load_state_file(paths(out).state)


def clean_build(content: Path, tmp_path: Path, templates: Path = TEMPLATES) -> dict[str, bytes]:
    out = tmp_path / f"clean-{len(list(tmp_path.glob('clean-*')))}" / "build"
    build(options(content, out, templates))
    return tree(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(site_copy: Path, tmp_path: Path):
    out = tmp_path / "site" / "build"
    first = build(options(site_copy, out))
    assert first.rendered  # a first build renders everything
    return site_copy, out


def test_editing_one_event_renders_only_the_pages_that_show_it(site, tmp_path):
    content, out = site
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    report = build(options(content, out))
    rendered = set(report.rendered)
    all_pages = [path for path in tree(out) if path.endswith(".html")]
    assert {"en/timeline/2022-06-example-delivery/index.html", "fr/chronologie/2022-06-example-delivery/index.html",
            "en/timeline/index.html", "fr/chronologie/index.html", "e/event/2022-06-example-delivery/index.html"} <= rendered
    # pages that do not show the event at all are left as they were
    assert not rendered & {"en/about/index.html", "fr/a-propos/index.html", "en/search/index.html", "en/404.html"}
    assert len(rendered) < len(all_pages) / 2
    # data downloads and the sitemap are made again only when what they list changed
    assert {"data/timeline.json", "data/timeline.csv"} <= rendered
    assert not rendered & {"data/actors.json", "data/orders.csv", "data/notes.json", "sitemap.xml"}
    assert tree(out) == clean_build(content, tmp_path)


def test_nothing_is_rendered_when_only_an_unrelated_file_changes(site, tmp_path):
    content, out = site
    dataset = content / "data" / "example-exports.yaml"
    dataset.write_text(dataset.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    report = build(options(content, out))
    # the file changed, so its own pages are rendered again; nothing that does not read it
    # (the Atom feeds read every entry's dates, to list the latest)
    assert all("data" in path or "donnees" in path or "/dataset/" in path or "index.html" in path
               or path.endswith("/atom.xml") for path in report.rendered), report.rendered
    assert tree(out) == clean_build(content, tmp_path)


def test_a_page_that_only_links_to_an_entry_is_not_rendered_when_its_summary_changes(site, tmp_path):
    """Dependencies are exact to the field: an event that links to Testland shows its name
    and address, not its summary (at 5,000 entries a hub's summary edit re-rendered
    10,000 pages when a page depended on the whole entry)."""
    content, out = site
    edit(content / "actors" / "testland.yaml", "An imaginary state,", "An imaginary country,")
    report = build(options(content, out))
    rendered = set(report.rendered)
    # the pages that show the summary: the actor's own pages and the actors' list
    assert {"en/actors/testland/index.html", "fr/acteurs/testland/index.html",
            "en/actors/index.html"} <= rendered
    # pages that link to Testland or list it by name only
    linking = {"en/timeline/2022-06-example-delivery/index.html", "en/themes/dynamics/index.html",
               "en/actors/example-corp/index.html", "en/equipment/example-radar/index.html"}
    assert {path for path in linking if path in tree(out)} == linking
    assert not rendered & linking, rendered & linking
    assert tree(out) == clean_build(content, tmp_path)


def test_a_page_that_shows_an_entry_s_name_is_rendered_when_the_name_changes(site, tmp_path):
    content, out = site
    edit(content / "actors" / "testland.yaml", "  en: Testland", "  en: Testland Republic")
    report = build(options(content, out))
    assert {"en/timeline/2022-06-example-delivery/index.html", "en/actors/example-corp/index.html",
            "en/actors/testland/index.html"} <= set(report.rendered)
    assert "Testland Republic" in (out / "en/timeline/2022-06-example-delivery/index.html").read_text(encoding="utf-8")
    assert tree(out) == clean_build(content, tmp_path)


SCENARIOS = ["new event linking an actor", "deleted event", "renamed actor", "edited note", "alias",
             "site settings", "template", "two workers", "actor summary", "relation added", "order edited"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_incremental_build_equals_a_clean_build(site, tmp_path, scenario):
    content, out = site
    templates, jobs = change(scenario, content, tmp_path)
    build(options(content, out, templates, jobs))
    report = build(options(content, out, templates, jobs))
    assert report.skipped
    assert tree(out) == clean_build(content, tmp_path, templates)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_build_in_a_session_equals_a_clean_build(site, tmp_path, scenario):
    """As `serve` builds: one process, its last state and content kept in memory."""
    content, out = site
    memory = session(out)
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    build(options(content, out), memory=memory)  # loads the state: now in memory
    memory.settle()  # as serve does once a build is published
    templates, jobs = change(scenario, content, tmp_path)
    lines: list[str] = []
    build(options(content, out, templates, jobs), log=lines.append, memory=memory)
    assert any("kept in memory" in line for line in lines), lines
    assert tree(out) == clean_build(content, tmp_path, templates)


def test_a_session_does_not_trust_a_state_another_process_saved(site, tmp_path, monkeypatch):
    content, out = site
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    memory = session(out)
    edit(event, "Example delivery", "Example delivery, once")
    build(options(content, out), memory=memory)
    edit(event, "Example delivery, once", "Example delivery, twice")
    build(options(content, out))  # e.g. `make site` in another terminal, while serve runs
    memory.read_from_disk.clear()
    edit(event, "Example delivery, twice", "Example delivery, thrice")
    build(options(content, out), memory=memory)
    assert "state" in memory.read_from_disk  # the session's state is no longer the one on disk: it was read again
    assert tree(out) == clean_build(content, tmp_path)
    memory.read_from_disk.clear()
    edit(event, "Example delivery, thrice", "Example delivery, four times")
    build(options(content, out), memory=memory)
    assert "state" not in memory.read_from_disk  # and now it is again
    assert tree(out) == clean_build(content, tmp_path)


def test_a_session_warmed_up_after_a_build_with_nothing_to_do_reads_nothing_on_its_first_edit(site, tmp_path):
    """serve started on a site built already: its first build has nothing to do, and
    loads nothing. It warms up while the editor reads the page, so that the first edit
    is as fast as the next ones (at 5,000 entries it read 1 s of state and results)."""
    content, out = site
    memory = session(out)
    assert build(options(content, out), memory=memory).skipped
    memory.warm_up()
    memory.settle()
    memory.read_from_disk.clear()
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    lines: list[str] = []
    build(options(content, out), log=lines.append, memory=memory)
    assert "state" not in memory.read_from_disk
    read = next(line for line in lines if line.startswith("read:"))
    files = len(content_files(content)[0])
    assert f"1 files read, {files - 1} unchanged, {files - 1} of them kept in memory" in read, read
    assert tree(out) == clean_build(content, tmp_path)


def test_a_warm_up_never_trusts_a_state_another_process_replaced_since(site, tmp_path):
    content, out = site
    memory = session(out)
    assert build(options(content, out), memory=memory).skipped
    memory.warm_up()
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    edit(event, "Example delivery", "Example delivery, once")
    build(options(content, out))  # `make site` in another terminal, after serve warmed up
    memory.read_from_disk.clear()
    edit(event, "Example delivery, once", "Example delivery, twice")
    build(options(content, out), memory=memory)
    assert "state" in memory.read_from_disk
    assert tree(out) == clean_build(content, tmp_path)


def test_the_site_is_announced_as_soon_as_it_is_live_before_the_next_build_s_state_is_saved(site, tmp_path):
    """serve makes the browser reload when `published` is called: the saving of what the
    next build needs (0.3 s at 5,000 entries) happens while the page reloads."""
    content, out = site
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    edit(event, "Example delivery", "Example delivery, edited")
    state_file = paths(out).state
    seen = []

    def published(report) -> None:
        page = (out / "en/timeline/2022-06-example-delivery/index.html").read_text(encoding="utf-8")
        seen.append(("Example delivery, edited" in page, state_file.exists(), report.rendered))

    report = build(options(content, out), published=published)
    assert len(seen) == 1
    live, saved, rendered = seen[0]
    assert live and not saved  # the new site is live; the state is not saved yet
    assert rendered == report.rendered and "en/timeline/2022-06-example-delivery/index.html" in rendered
    assert state_file.exists()  # ... and is, once the build returns
    assert build(options(content, out), published=published).skipped
    assert len(seen) == 1  # nothing published by a build with nothing to do
    assert tree(out) == clean_build(content, tmp_path)


def test_ctrl_c_as_the_site_is_announced_stops_the_build_once_its_state_is_saved(site, tmp_path):
    """serve announces the new site before saving what the next build needs: a Ctrl-C
    then (as a reader presses it right after the reload) used to leave no state, and the
    next build rendered every page. The interrupt takes effect once the state is saved."""
    import signal

    content, out = site
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")

    def interrupt(_report) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    # (Python's own handler, as in a terminal: a suite started in the background may ignore SIGINT)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            build(options(content, out), published=interrupt)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    finally:
        signal.signal(signal.SIGINT, previous)
    assert paths(out).state.exists()
    assert build(options(content, out)).skipped  # nothing left to do: not a full build
    assert tree(out) == clean_build(content, tmp_path)


def test_a_serve_build_after_an_edit_scans_its_inputs_once(site, monkeypatch):
    """serve accepts a site built with its search index as up to date (index_optional):
    checking that must not fingerprint the inputs a second time on every edit (at 5,000
    entries a scan of every input file's stat, 0.02–0.03 s)."""
    from site_builder.building import cache

    content, out = site
    scans: list[str] = []
    original = cache._scan

    def counting(root, suffix):
        scans.append(root)
        return original(root, suffix)

    monkeypatch.setattr(cache, "_scan", counting)
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    config = dataclasses.replace(options(content, out), index_optional=True)
    assert not build(config, memory=session(out)).skipped
    assert len(scans) == len(set(scans)) == 3, scans  # content, templates, code: once each


def test_a_session_reads_the_record_again_only_when_another_build_replaced_it(site, tmp_path, monkeypatch):
    """The record of the last build (cache.py: its fingerprint and the manifest of the
    output) is 3 MB at 5,000 entries: a session keeps the one it saved."""
    content, out = site
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    memory = session(out)
    edit(event, "Example delivery", "Example delivery, once")
    build(options(content, out), memory=memory)
    memory.read_from_disk.clear()
    edit(event, "Example delivery, once", "Example delivery, twice")
    build(options(content, out), memory=memory)
    assert "record" not in memory.read_from_disk
    assert build(options(content, out), memory=memory).skipped  # and it is the one a no-op build checks
    assert "record" not in memory.read_from_disk
    edit(event, "Example delivery, twice", "Example delivery, thrice")
    build(options(content, out))  # another process
    edit(event, "Example delivery, thrice", "Example delivery, four times")
    build(options(content, out), memory=memory)
    assert "record" in memory.read_from_disk
    assert tree(out) == clean_build(content, tmp_path)


def change(scenario: str, content: Path, tmp_path: Path) -> tuple[Path, int]:
    """Make one of SCENARIOS' changes; the templates folder and workers to build with."""
    templates = TEMPLATES
    jobs = 1
    if scenario == "new event linking an actor":  # the actor's "what links here" changes, not its file
        source = content / "timeline" / "2020-09-example-trials.yaml"
        text = source.read_text(encoding="utf-8").replace("2020-09-example-trials", "2023-example-follow-up")
        text = text.replace("2020-09/2020-11", "2023").replace("equipment: [example-radar]", "equipment: [example-radar]\nactors: [jane-example]")
        (content / "timeline" / "2023-example-follow-up.yaml").write_text(text, encoding="utf-8")
    elif scenario == "deleted event":
        (content / "timeline" / "2020-09-example-trials.yaml").unlink()
        _unlink_references(content, "event:2020-09-example-trials")
    elif scenario == "renamed actor":  # its name is printed on every page that lists or links it
        edit(content / "actors" / "testland.yaml", "Testland", "Testland (renamed)")
    elif scenario == "edited note":
        note_file = content / "notes" / "example-report.yaml"
        edit(note_file, "en: ", "en: Edited. ")
    elif scenario == "alias":
        edit(content / "actors" / "jane-example.yaml", "id: jane-example", "id: jane-example\naliases: [j-example]")
    elif scenario == "site settings":
        edit(content / "site.yaml", "en: Example Dynamics", "en: Example Dynamics, changed")
    elif scenario == "template":
        templates = tmp_path / "templates"
        shutil.copytree(TEMPLATES, templates)
        edit(templates / "base.html", "</body>", "<!-- changed -->\n</body>")
    elif scenario == "actor summary":  # shown by its page and the actors' list, not by pages linking to it
        edit(content / "actors" / "testland.yaml", "An imaginary state,", "An imaginary country,")
    elif scenario == "relation added":  # a field that other pages' lists are made from
        edit(content / "actors" / "jane-example.yaml", "parent: example-institute", "parent: example-corp")
    elif scenario == "order edited":  # the timeline and the orders' download read equipment's orders
        edit(content / "equipment" / "example-radar.yaml", "quantity: ", "quantity: 1")
    elif scenario == "two workers":
        edit(content / "timeline" / "2008-example-agreement.yaml", "signe un premier accord", "signe un accord")
        jobs = 2
    return templates, jobs


def _unlink_references(content: Path, target: str) -> None:
    for path in content.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if f"({target})" in text:
            path.write_text(text.replace(f"({target})", "(https://example.org/)"), encoding="utf-8")


def test_a_second_edit_updates_the_spare_folder_in_place(site, tmp_path):
    content, out = site
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    edit(event, "Example delivery", "Example delivery, once")
    build(options(content, out))
    assert paths(out).spare.is_dir()  # the previous site, kept to be updated next time
    edit(event, "Example delivery, once", "Example delivery, twice")
    report = build(options(content, out))
    assert "en/timeline/2022-06-example-delivery/index.html" in report.rendered
    assert tree(out) == clean_build(content, tmp_path)
    edit(event, "Example delivery, twice", "Example delivery, thrice")
    build(options(content, out))
    assert tree(out) == clean_build(content, tmp_path)


@pytest.mark.parametrize("damage", ["corrupted state", "deleted spare", "spare file edited", "live page deleted",
                                    "corrupted memo", "truncated memo", "replaced memo", "corrupted list items",
                                    "list items of another page"])
def test_a_damaged_cache_or_output_is_never_trusted(site, tmp_path, damage):
    content, out = site
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    edit(event, "Example delivery", "Example delivery, once")
    build(options(content, out))
    edit(event, "Example delivery, once", "Example delivery, twice")
    if damage == "corrupted state":
        data = bytearray(paths(out).state.read_bytes())
        data[len(data) // 2] ^= 0xFF
        paths(out).state.write_bytes(bytes(data))
    elif damage == "deleted spare":
        shutil.rmtree(paths(out).spare)
    elif damage == "spare file edited":
        # the spare is the cache's; a file changed there behind the build's back is rewritten
        page = paths(out).spare / "en" / "about" / "index.html"
        page.unlink()
        page.write_bytes(b"tampered")
    elif damage == "live page deleted":
        os.unlink(out / "en" / "about" / "index.html")
    elif damage == "corrupted memo":  # every byte after the header flipped: each result fails its CRC
        data = bytearray(paths(out).results.read_bytes())
        for i in range(HEADER_SIZE, len(data)):
            data[i] ^= 0x5A
        paths(out).results.write_bytes(bytes(data))
    elif damage == "truncated memo":
        with open(paths(out).results, "r+b") as handle:
            handle.truncate(HEADER_SIZE + 10)
    elif damage == "replaced memo":  # another memo file (another token): none of its offsets are used
        paths(out).results.unlink()
        MemoFile(paths(out).results).close()
    elif damage == "corrupted list items":
        for kept in paths(out).items.iterdir():
            data = bytearray(kept.read_bytes())
            data[len(data) // 2] ^= 0xFF
            kept.write_bytes(bytes(data))
    elif damage == "list items of another page":  # (the French timeline's, say, copied over the English one's)
        english, french = (store_file(paths(out).items, page)
                           for page in ("en/timeline/index.html", "fr/chronologie/index.html"))
        shutil.copyfile(french, english)
    report = build(options(content, out))
    assert not report.skipped
    assert tree(out) == clean_build(content, tmp_path)
    if "memo" in damage:  # and the memo is whole again for the next build
        assert set(load_state(out).memo) == content_keys(content)


def content_keys(content: Path) -> set[tuple[str, str]]:
    """(kind, path from the content folder) of every content file, as the memo's keys name them."""
    return {(kind, os.path.relpath(path, content)) for kind, path in content_files(content)[0]}


def test_an_edit_reads_only_the_edited_file_and_appends_its_result_to_the_memo(site):
    content, out = site
    memo = paths(out).results
    size, token = memo.stat().st_size, load_state(out).memo_token
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    edit(event, "Example delivery", "Example delivery, edited")
    lines = []
    build(options(content, out), log=lines.append)
    assert any("(1 files read," in line for line in lines), lines
    state = load_state(out)
    assert state.memo_token == token and memo.stat().st_size > size  # appended, not written anew
    assert set(state.memo) == content_keys(content)


def test_an_edit_does_not_read_unchanged_content_files_again(site, monkeypatch):
    """Whether a file changed is known from the hashes the build's fingerprint took
    (cache.py, by stat where it can): reading every file again to hash it took a
    fifth of a second per build at 5,000 entries."""
    content, out = site
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    edit(event, "Example delivery", "Example delivery, edited")
    read, read_bytes = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.resolve()) or read_bytes(path))
    build(options(content, out))
    assert [path for path in read if content.resolve() in path.parents] == [event.resolve()]


def test_a_state_from_another_python_or_library_version_is_not_trusted(site, tmp_path, monkeypatch):
    """The memo holds pickled models and marshal data, which only the versions that
    wrote them can be trusted to read back: after an upgrade, a full build."""
    from site_builder.building import state as state_module

    content, out = site
    monkeypatch.setattr(state_module, "runtime_key", lambda: "Python 9.9, pydantic 99")
    assert load_state(out) is None
    # (an upgrade also changes the build's fingerprint, so that the build is not skipped: here, an edit)
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    report = build(options(content, out))
    assert len(report.rendered) == len(load_state(out).pages)  # everything, from the files
    assert tree(out) == clean_build(content, tmp_path)


@pytest.mark.parametrize("module", ["content/models.py", "core/typography.py", "content/yaml_source.py",
                                    "content/links.py"])
def test_changed_reading_code_is_a_new_runtime(module, tmp_path, monkeypatch):
    """The memo's results are pickled models: after a field is added to a model, results
    pickled without it must not be read back (they lacked the attribute: a crash on the
    first page that read it). And a content file's read result is what core/ and content/
    made of it: its compiled prose (French spacing applied), its problems, its references. A change to any of that code must
    not meet results it did not make: with only models, dates and markdown in the key, a fix
    to French spacing left the old spacing in pages an incremental build did not re-read."""
    import shutil

    from site_builder.building import state as state_module

    package = tmp_path / "site_builder"
    shutil.copytree(state_module.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__", "geodata"))
    monkeypatch.setattr(state_module, "PACKAGE", package)
    state_module.runtime_key.cache_clear()
    before = state_module.runtime_key()
    changed = package / module
    changed.write_text(changed.read_text() + "\n# a fix\n")
    state_module.runtime_key.cache_clear()
    try:
        assert state_module.runtime_key() != before
    finally:
        monkeypatch.undo()
        state_module.runtime_key.cache_clear()


def test_a_session_keeps_its_results_when_the_memo_is_written_anew(site, tmp_path, monkeypatch):
    content, out = site
    memory = session(out)
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    edit(event, "Example delivery", "Example delivery, once")
    build(options(content, out), memory=memory)
    compacted = MemoFile.compacted
    tokens = [load_state(out).memo_token]
    monkeypatch.setattr(MemoFile, "compacted", lambda self, index: compacted(self, index, keep_ratio=2.0))  # always
    edit(event, "Example delivery, once", "Example delivery, twice")
    build(options(content, out), memory=memory)
    monkeypatch.undo()
    assert load_state(out).memo_token not in tokens  # the memo was written anew
    edit(event, "Example delivery, twice", "Example delivery, thrice")
    lines: list[str] = []
    build(options(content, out), log=lines.append, memory=memory)
    files = len(content_keys(content))
    assert any(f"{files - 1} of them kept in memory" in line for line in lines), lines
    assert tree(out) == clean_build(content, tmp_path)


def test_the_memo_is_written_anew_once_mostly_unused(tmp_path):
    path = tmp_path / "results.memo"
    store = MemoFile(path)
    index = {("a",): store.append("1", b"first" * 100), ("b",): store.append("2", b"second")}
    for n in range(10):  # ten versions of "b": nine of them no longer pointed to
        index[("b",)] = store.append("2", b"second %d" % n * 50)
    before = path.stat().st_size
    compacted = store.compacted(index)
    assert path.stat().st_size < before / 2 and store.token
    assert store.read(compacted[("a",)]) == b"first" * 100
    assert store.read(compacted[("b",)]) == b"second 9" * 50
    assert store.compacted(compacted) == compacted  # nothing more to gain: left as it is
    store.close()
    reopened = MemoFile(path, store.token)
    assert reopened.read(compacted[("b",)]) == b"second 9" * 50
    assert MemoFile(path, b"another token".ljust(16)).read(compacted[("b",)]) is None  # a new, empty file
    reopened.close()


def test_every_recorded_answer_is_what_the_library_answers_now(site):
    """What a page recorded while it was rendered (dependencies.RecordingLibrary) must be
    what `dependencies.answer` computes for the same content; else unchanged content
    would make pages look stale, or, worse, changed content look unchanged."""
    from site_builder.building.dependencies import unfrozen
    from site_builder.content.observed import answer
    from site_builder.building.pipeline import check

    content, out = site
    state = load_state(out)
    checked, _problems = check(content)
    kinds = set()
    for _digest, deps in state.pages.values():
        _entries, answers = unfrozen(deps)
        for query, then in answers:
            kinds.add(query[0])
            assert answer(query, checked.library, checked.links) == then, query
    assert {"all", "events_with", "links_to", "notes_of", "equipment_of"} <= kinds


def test_a_full_build_leaves_a_spare_that_mirrors_the_site(site):
    """So that even the first edit after a full build updates a folder in place
    (hard links: no data is copied), instead of linking every page anew."""
    _content, out = site
    assert tree(paths(out).spare) == tree(out)
    live, spare = out / "en" / "index.html", paths(out).spare / "en" / "index.html"
    assert live.stat().st_ino == spare.stat().st_ino


def test_editing_a_live_file_in_place_does_not_leak_into_the_next_build(site, tmp_path):
    content, out = site
    page = out / "en" / "about" / "index.html"  # shares its inode with the spare's copy
    with open(page, "r+b") as handle:
        handle.write(b"<!-- edited by hand -->")
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    build(options(content, out))
    assert tree(out) == clean_build(content, tmp_path)


def test_builds_into_the_same_folder_take_turns(site, run_cli, tmp_path):
    """`serve` in one terminal and `make site` in another must not update the same spare
    folder at once: the second build waits for the first (here: for a held lock)."""
    import fcntl
    import subprocess
    import sys
    import time


    content, out = site
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    lock = paths(out).lock
    with open(lock, "ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        waiting = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "build", "--content", str(content), "--out", str(out),
             "--templates", str(TEMPLATES), "--no-search"],
            cwd=Path(__file__).parent.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None  # still waiting for the lock
    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert "waiting for another build" in stderr and "Built" in stdout
    assert tree(out) == clean_build(content, tmp_path)


def test_list_items_are_kept_and_their_footnotes_numbered_anew(site, tmp_path):
    """The timeline keeps its items between builds (fragments.py), but numbers their
    footnote calls on each page anew: the 2021 contract's summary cites a note after the
    2008 agreement's, so its call is 2; once the 2008 citation is gone, it is 1."""
    content, out = site
    timeline = out / "en" / "timeline" / "index.html"
    contract = 'id="2021-03-15-example-contract"'
    assert 'id="cite-example-report-1-1" role="doc-noteref">2<' in timeline.read_text(encoding="utf-8")
    agreement = content / "timeline" / "2008-example-agreement.yaml"
    agreement.write_text(agreement.read_text(encoding="utf-8").replace("[^example-report-3]", ""), encoding="utf-8")
    lines: list[str] = []
    report = build(options(content, out), log=lines.append)
    assert "en/timeline/index.html" in report.rendered
    page = timeline.read_text(encoding="utf-8")
    assert contract in page and 'id="cite-example-report-1-1" role="doc-noteref">1<' in page
    kept = next(line for line in lines if line.startswith("render:"))
    assert " 0 of " not in kept and "kept from the last build" in kept, kept
    assert tree(out) == clean_build(content, tmp_path)


def test_the_state_keys_its_digests_by_the_tuples_of_its_field_numbering(site, tmp_path):
    """Every field is in the state twice, numbered (`keys`) and with its digest (`entries`):
    the same tuple objects, so the pickle holds them once and a build loads them once (at
    5,000 entries, 80,000 fields: 10 MB of every later build's memory)."""
    content, out = site
    for _ in range(2):  # a first build, then an edit (its numbering extends the last one's)
        state = load_state(out)
        numbered = {id(key) for key in state.keys}
        assert state.entries and all(id(key) in numbered for key in state.entries)
        edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
        build(options(content, out))


def test_a_build_on_two_processes_equals_a_build_on_one(site_copy, tmp_path):
    """With two jobs the build's own process renders pages beside one forked worker
    (workers.in_order, D41), its list items kept and replayed like a worker's: the same
    site, byte for byte, on a first build and after edits in a session, as on one process."""
    from site_builder.building.parallel import MIN_PAGES_PER_WORKER
    one, two = tmp_path / "one" / "build", tmp_path / "two" / "build"
    memory = session(two)
    first = build(options(site_copy, two, jobs=2), memory)
    assert len(first.rendered) >= 2 * MIN_PAGES_PER_WORKER  # (enough pages for two processes)
    build(options(site_copy, one))
    assert tree(two) == tree(one)
    event = site_copy / "timeline" / "2022-06-example-delivery.yaml"
    for word in ("once", "twice"):
        edit(event, "Example delivery", f"Example delivery {word}")
        build(options(site_copy, two, jobs=2), memory)
        memory.settle()
        build(options(site_copy, one))
        assert tree(two) == tree(one)


def test_the_build_pauses_the_garbage_collector_but_workers_collect(site, monkeypatch):
    """The parent holds the whole content (millions of objects) and makes little cyclic
    garbage: full collections while it builds only walked all of it again and again (0.4 s
    of a one-edit build at 5,000 entries). Workers render pages, which do make garbage."""
    import gc

    from site_builder.building import parallel, reading
    content, out = site
    seen = []
    edit(content / "timeline" / "2022-06-example-delivery.yaml", "Example delivery", "Example delivery, edited")
    assert gc.isenabled()
    build(options(content, out), log=lambda line: seen.append(gc.isenabled()))  # (each step logs)
    assert seen and not any(seen) and gc.isenabled()  # paused while building, then as it was
    gc.disable()
    try:
        parallel._start_worker(parallel.Task(None, None, {}))  # type: ignore[arg-type]
        assert gc.isenabled()
        gc.disable()
        reading._start_worker(None)  # type: ignore[arg-type]
        assert gc.isenabled()
    finally:
        gc.enable()


def test_the_record_of_an_edit_build_is_the_output_as_it_is(site):
    """The record takes the size and time of the files an edit did not write from the
    check it made of them before writing (output.py), not by looking again: they must be
    exactly what is on disk, or the next build would not find that nothing changed."""
    content, out = site
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    for word in ("once", "twice"):  # the second edit updates the spare folder in place
        edit(event, "Example delivery", f"Example delivery {word},")
        build(options(content, out))
        assert load_record(paths(out).record)["manifest"] == manifest(out)
        assert build(options(content, out)).skipped
