"""The build cache: a build that would change nothing is skipped, and the cache
is never trusted over the real state of the inputs and of build/."""
from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import time
from pathlib import Path

import pytest

from site_builder.building import cache
from site_builder.building.memory import CachePaths

TEMPLATES = Path(__file__).parent.parent / "templates"


def _build(run_cli, tmp_path):
    result = run_cli("build", "--templates", TEMPLATES, "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_unchanged_inputs_skip_the_build(site_copy, run_cli, tmp_path):
    assert "Built" in _build(run_cli, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert "Nothing changed" in _build(run_cli, tmp_path)
    after = {p: p.stat().st_mtime_ns for p in (tmp_path / "build").rglob("*") if p.is_file()}
    assert before == after


def test_a_content_edit_rebuilds(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    theme = site_copy / "themes" / "trade.yaml"
    theme.write_text(theme.read_text().replace("en: ", "en: Edited ", 1))
    assert "Built" in _build(run_cli, tmp_path)
    assert "Edited" in (tmp_path / "build" / "en" / "themes" / "trade" / "index.html").read_text()


def test_a_touched_output_folder_is_rebuilt(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    page = tmp_path / "build" / "en" / "index.html"
    page.unlink()
    assert "Built" in _build(run_cli, tmp_path)
    assert page.is_file()


def test_a_corrupted_or_missing_cache_is_not_trusted(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    cache = tmp_path / ".cache" / "site-builder" / "build.record"
    assert cache.is_file()
    data = bytearray(cache.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cache.write_bytes(bytes(data))
    assert "Built" in _build(run_cli, tmp_path)
    cache.write_text("{not a record")
    assert "Built" in _build(run_cli, tmp_path)
    # Damaged bytes behind a checksum that matches them: still not a record
    for body in (b"\xff\x00garbage", marshal.dumps(["a", "list"]), marshal.dumps({"version": "?"})[:-3]):
        cache.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        assert "Built" in _build(run_cli, tmp_path)
    cache.unlink()
    assert "Built" in _build(run_cli, tmp_path)
    assert "Nothing changed" in _build(run_cli, tmp_path)


def test_other_options_are_a_different_build(site_copy, run_cli, tmp_path):
    _build(run_cli, tmp_path)
    result = run_cli("build", "--templates", TEMPLATES, "--no-search", "--base-url", "https://example.net/x/", cwd=tmp_path)
    assert "Built" in result.stdout
    assert "https://example.net/x/" in (tmp_path / "build" / "sitemap.xml").read_text()


# In-process checks of the cache, on a copy of one real build by the command line
# (the options are those `_build` passes: no base URL, not strict, no search).

@pytest.fixture(scope="module")
def first_build(tmp_path_factory, run_cli) -> Path:
    work = tmp_path_factory.mktemp("cache")
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", work / "content")
    _build(run_cli, work)
    return work


@pytest.fixture
def built(first_build, tmp_path) -> Path:
    """`tmp_path` with content/ and build/ copied from one build, and the cache that build
    would have saved for them, saved just now (so every file is within the racy window)."""
    for folder in ("content", "build"):
        shutil.copytree(first_build / folder, tmp_path / folder)
    summary = cache.load_record(CachePaths.of(first_build / "build").record)["summary"]
    _save_record(tmp_path / "build", summary)
    assert _skipped(tmp_path)
    return tmp_path


def _inputs(tmp_path):
    options = {"base_url": None, "strict": False, "search": False}  # as `_build` passes them
    return cache.Inputs(tmp_path / "content", TEMPLATES, options, CachePaths.of(tmp_path / "build").input_hashes)


def _save_record(out: Path, summary) -> None:
    cache.save_record(CachePaths.of(out).record, out, _inputs(out.parent), summary)


def _skipped(tmp_path, reads: list[str] | None = None) -> bool:
    """Whether a build would find nothing to do; `reads` gets the input files the
    fingerprint had to read (instead of trusting their stat in the memo)."""
    inputs, out = _inputs(tmp_path), tmp_path / "build"
    skipped = cache.up_to_date(out, inputs.fingerprint(), cache.load_record(CachePaths.of(out).record)) is not None
    if reads is not None:
        reads.extend(inputs.files_read)
    return skipped


@pytest.fixture
def reads() -> list[str]:
    """The paths of the input files the fingerprint reads (instead of reusing the memo)."""
    return []


def _manifest(out: Path) -> dict[str, list[int]]:
    return {p.relative_to(out).as_posix(): [p.stat().st_size, p.stat().st_mtime_ns]
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def old_enough(monkeypatch):
    """Every file counts as older than the racy window, as it does a few seconds after
    a build (tests cannot wait, nor set a change time in the past)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


def _content_files(tmp_path):
    return {str(p) for p in (tmp_path / "content").rglob("*") if p.is_file()}


def test_inputs_whose_stat_is_unchanged_are_not_read_again(built, reads, old_enough):
    assert _skipped(built, reads)
    assert not set(reads) & _content_files(built), reads


def test_racy_inputs_are_read_again(built, reads):
    # Just after the memo was written, every content file is within the racy window.
    assert _skipped(built, reads)
    assert _content_files(built) <= set(reads)


def _same_size_edit_with_an_identical_stat(tmp_path, memo_after_the_edit=False, older_ctime=False):
    """Edit a file keeping its size and mtime, and put its new stat (change time and
    inode included) in the memo with the old hash: what an edit within the timestamp
    tick of the hashing looks like. (With `older_ctime`, only the change time differs.)"""
    theme = tmp_path / "content" / "themes" / "trade.yaml"
    before = theme.stat()
    text = theme.read_text()
    theme.write_text(text.replace("en: Trade", "en: Trado", 1))
    os.utime(theme, ns=(before.st_atime_ns, before.st_mtime_ns))
    now = theme.stat()
    assert now.st_size == before.st_size and now.st_mtime_ns == before.st_mtime_ns
    memo_path = CachePaths.of(tmp_path / "build").input_hashes
    memo = cache.read_checked(memo_path)
    memo["files"][str(theme)][:4] = [now.st_size, now.st_mtime_ns, now.st_ino, now.st_ctime_ns - older_ctime]
    if memo_after_the_edit:
        memo["started"] = time.time_ns()
    cache.write_checked(memo_path, memo)
    return str(theme)


def test_a_racy_same_size_edit_with_an_identical_stat_is_seen(built, reads, run_cli):
    theme = _same_size_edit_with_an_identical_stat(built)
    assert not _skipped(built, reads)
    assert theme in reads
    assert "Built" in _build(run_cli, built)
    assert "Trado" in (built / "build" / "en" / "themes" / "trade" / "index.html").read_text()


def test_outside_the_racy_window_the_stat_alone_is_trusted(built, reads, old_enough):
    # The other side of the test above: only the racy window catches such an edit, so the
    # memo must not be trusted for files changed around the time it was taken.
    theme = _same_size_edit_with_an_identical_stat(built, memo_after_the_edit=True)
    assert _skipped(built, reads)
    assert theme not in reads


def test_a_same_size_edit_with_a_forged_mtime_is_seen_by_its_change_time(built, reads, old_enough):
    theme = _same_size_edit_with_an_identical_stat(built, memo_after_the_edit=True, older_ctime=True)
    assert not _skipped(built, reads)
    assert theme in reads


@pytest.mark.parametrize("corrupt", ["checksum", "not json", "version", "future", "missing"])
def test_a_corrupted_memo_is_ignored(built, reads, old_enough, corrupt):
    memo_path = CachePaths.of(built / "build").input_hashes
    memo = cache.read_checked(memo_path)
    theme = str(built / "content" / "themes" / "trade.yaml")
    good = memo["files"][theme][4]
    if corrupt == "checksum":  # a wrong hash, which, trusted, would make the fingerprint wrong
        memo_path.write_bytes(memo_path.read_bytes().replace(good.encode(), b"0" * 64))
    elif corrupt == "not json":
        memo_path.write_text("{not json")
    elif corrupt == "version":
        cache.write_checked(memo_path, {**memo, "version": cache.VERSION - 1})
    elif corrupt == "future":  # taken after now: the clock went back, so its times prove nothing
        cache.write_checked(memo_path, {**memo, "started": time.time_ns() + 3600 * 10**9})
    else:
        memo_path.unlink()
    assert _skipped(built, reads)  # every file was read, so the fingerprint is the right one
    assert _content_files(built) <= set(reads)
    assert cache.read_checked(memo_path)["files"][theme][4] == good  # and the memo is written again


def test_added_and_removed_input_files_change_the_fingerprint(built, minimal_site, reads, old_enough):
    notes = built / "content" / "notes"
    copy = notes / "copy.yaml"
    copy.write_bytes((notes / "example-report.yaml").read_bytes())
    assert not _skipped(built, reads)
    copy.unlink()
    assert _skipped(built, reads)
    assert reads == [str(copy)]  # the list of files is exact without reading any other
    (notes / "deeper").mkdir()
    (notes / "deeper" / "x.yaml").write_text("id: x\n")
    assert not _skipped(built, reads)
    shutil.rmtree(notes / "deeper")
    assert _skipped(built, reads)
    theme = built / "content" / "themes" / "dynamics.yaml"
    theme.unlink()
    assert not _skipped(built, reads)
    theme.write_bytes((minimal_site / "themes" / "dynamics.yaml").read_bytes())
    (built / "content" / "__pycache__").mkdir()  # never an input
    (built / "content" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert _skipped(built, reads)


def _delete_a_file(build):
    (build / "en" / "index.html").unlink()


def _edit_a_file(build):  # same size; the mtime is set so that it differs even within one tick
    page = build / "en" / "index.html"
    before = page.stat()
    page.write_bytes(page.read_bytes().replace(b"<", b"{", 1))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))


def _add_a_file(build):
    (build / "en" / "themes" / "trade" / "extra.txt").write_text("x")


def _add_a_folder(build):
    (build / "en" / "themes" / "trade" / "extra").mkdir()


def _delete_a_folder(build):
    shutil.rmtree(build / "en" / "themes" / "trade")


def _delete_an_empty_folder(build):
    # With nothing in it, only its parent's mtime shows that it went. (A build writes no
    # empty folder: the record is made again with one.)
    folder = build / "en" / "themes" / "trade"
    shutil.rmtree(folder)
    folder.mkdir()
    _save_record(build, cache.load_record(CachePaths.of(build).record)["summary"])
    assert _skipped(build.parent)
    folder.rmdir()


@pytest.fixture(params=["listed", "stat-ed"])
def folders_are(request, monkeypatch):
    """How the output's folders are checked: "listed" when they are within the racy
    window of the record (as just after a build), "stat-ed" when they are older."""
    monkeypatch.setattr(cache, "RACY_NS", 10**18 if request.param == "listed" else 0)
    return request.param


@pytest.mark.parametrize("tamper", [_delete_a_file, _edit_a_file, _add_a_file, _add_a_folder, _delete_a_folder,
                                    _delete_an_empty_folder])
def test_a_touched_output_is_never_skipped(built, folders_are, tamper):
    assert _skipped(built)
    tamper(built / "build")
    assert not _skipped(built)


def test_a_folder_changed_within_its_timestamp_tick_is_seen_while_racy(built, monkeypatch):
    # An entry added in the same tick as the folder's last change leaves its mtime as it
    # was (forged here): only listing the folders within the racy window sees it.
    folder = built / "build" / "en" / "themes" / "trade"
    before = folder.stat()
    (folder / "extra.txt").write_text("x")
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
    monkeypatch.setattr(cache, "RACY_NS", 0)
    assert _skipped(built)
    monkeypatch.setattr(cache, "RACY_NS", 10**18)
    assert not _skipped(built)


def test_an_intact_old_output_is_checked_without_listing_a_folder(built, monkeypatch, old_enough):
    out = built / "build"
    inputs = _inputs(built)
    inputs.fingerprint()
    record = cache.load_record(CachePaths.of(out).record)

    def listing(*args, **kwargs):
        raise AssertionError("a folder was listed")

    with monkeypatch.context() as patch:
        for name in ("scandir", "listdir", "walk"):
            patch.setattr(os, name, listing)
        assert cache.up_to_date(out, inputs.fingerprint(), record) is not None


def test_the_manifest_keeps_its_shape(built):
    # Other modules read it: {"/"-separated path relative to build/: [size, mtime_ns]}.
    out = built / "build"
    manifest = _manifest(out)
    assert manifest == cache.load_record(CachePaths.of(out).record)["manifest"]
    page = out / "en" / "themes" / "trade" / "index.html"
    assert manifest["en/themes/trade/index.html"] == [page.stat().st_size, page.stat().st_mtime_ns]
    assert set(manifest) == {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def test_library_versions_are_those_importlib_metadata_reports():
    # The fingerprint reads them from the names of the .dist-info folders, which is faster.
    from importlib import metadata

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return ""

    assert cache.library_versions() == {name: version(name) for name in cache.LIBRARIES}


def test_the_record_lists_every_file_of_a_site_with_its_search_index(site_copy, tmp_path):
    """The record is taken from the files the build knows (and the search bundle's
    folder, walked), not by listing the site: it must still cover every file."""
    from site_builder.building.pipeline import BuildConfig, build

    out = tmp_path / "build"
    build(BuildConfig(content=site_copy, out=out, templates=TEMPLATES, search=True, jobs=1))
    record = cache.load_record(CachePaths.of(out).record)
    assert any(path.startswith("pagefind/") for path in record["manifest"])
    assert record["manifest"] == _manifest(out)
    folders = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()} | {""}
    assert set(record["folders"]) == folders


def test_records_are_written_and_read_in_batches_and_never_trusted_damaged(tmp_path):
    path = tmp_path / "pieces"
    records = [("header", 1)] + [((f"key-{n}",), b"x" * n) for n in range(cache.RECORDS_PER_BATCH * 2 + 3)]
    assert cache.write_checked_records(path, iter(records))
    assert cache.read_checked_records(path) == records
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert cache.read_checked_records(path) is None
    assert cache.read_checked_records(tmp_path / "missing") is None


def test_a_checked_file_of_another_format_is_not_read_as_records(tmp_path):
    """Its checksum is right (same scheme), but it is one value, not batches of records:
    e.g. a page's kept items from an older version of the generator."""
    path = tmp_path / "pieces"
    assert cache.write_checked(path, {"version": cache.VERSION, "items": {("a",): b"x" * 100}})
    assert cache.read_checked_records(path) is None


def test_a_build_with_nothing_to_do_loads_neither_pydantic_jinja_nor_babel(site_copy, tmp_path):
    """Finding that nothing changed is the whole of such a build: importing the libraries
    that read and render content would triple its time (0.3 s of 0.5 s at 5,000 entries)."""
    import subprocess
    import sys
    out = tmp_path / "out" / "build"
    templates = Path(__file__).parent.parent / "templates"
    probe = ("import sys\nfrom site_builder.commands.cli import main\n"
             f"sys.argv = ['site-builder', 'build', '--content', {str(site_copy)!r}, '--out', {str(out)!r}, "
             f"'--templates', {str(templates)!r}, '--no-search', '--quiet']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'jinja2', 'babel', 'markdown_it'}))\n")
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "pydantic" in first.stdout and (out / "index.html").is_file(), first.stderr  # (the first build reads and renders)
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert again.stdout.strip().splitlines()[-1] == "[]", again.stdout + again.stderr
