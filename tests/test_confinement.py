"""Inputs are read from their own folders only, and results do not depend on where a
command was started.

A symbolic link in content/ or templates/ that leads out of its folder is refused
by name, never opened: its target's text must reach neither the messages (public CI
logs) nor the site. Links that stay inside the folder are allowed.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SECRET = "secret_token: hunter2-do-not-publish\n"


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside the content folder, as a build machine's private file would be."""
    outside = tmp_path / "private"
    outside.mkdir()
    path = outside / "credentials.yaml"
    path.write_text(SECRET, encoding="utf-8")
    return path


def _never_shown(result) -> None:
    assert "hunter2" not in result.stdout + result.stderr and "secret_token" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_content_file_linking_out_of_the_content_folder_is_refused_unread(site_copy, secret, run_cli, tmp_path,
                                                                            templates_dir):
    (site_copy / "actors" / "leak.yaml").symlink_to(secret)
    for command in (["check"], ["build", "--templates", templates_dir, "--no-search"]):
        result = run_cli(*command, "--content", "content", cwd=tmp_path)
        assert result.returncode == 1, result.stdout
        assert ("content/actors/leak.yaml: error: symbolic link to a file outside the content folder; it is not read "
                "(copy the file into the folder instead of linking to it)") in result.stderr
        _never_shown(result)
    assert not (tmp_path / "build").exists()


def test_a_link_out_is_not_even_opened(site_copy, run_cli, tmp_path):
    """A named pipe blocks whoever opens it for reading: the check would hang if it did."""
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    (site_copy / "themes" / "pipe.yaml").symlink_to(pipe)
    result = run_cli("check", "--content", "content", cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "content/themes/pipe.yaml: error: symbolic link to a file outside the content folder" in result.stderr


def test_site_settings_and_kind_folders_linking_out_are_refused(site_copy, secret, run_cli, tmp_path):
    (site_copy / "site.yaml").unlink()
    (site_copy / "site.yaml").symlink_to(secret)
    elsewhere = tmp_path / "private" / "notes"
    elsewhere.mkdir()
    (elsewhere / "stolen.yaml").write_text(SECRET, encoding="utf-8")
    os.rename(site_copy / "notes", tmp_path / "notes-moved")
    (site_copy / "notes").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/site.yaml: error: symbolic link to a file outside the content folder" in result.stderr
    assert "content/notes: error: symbolic link to a folder outside the content folder; nothing in it is read" in result.stderr
    _never_shown(result)


def test_links_that_stay_inside_the_content_folder_are_read(site_copy, run_cli, tmp_path):
    shared = site_copy / "shared"  # not a kind folder: only read through the link
    shared.mkdir()
    os.rename(site_copy / "actors" / "testland.yaml", shared / "testland.yaml")
    (site_copy / "actors" / "testland.yaml").symlink_to(Path("..") / "shared" / "testland.yaml")
    result = run_cli("check", "--strict", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_content_folder_that_is_itself_a_link_is_fine(site_copy, run_cli, tmp_path):
    os.rename(site_copy, tmp_path / "real-content")
    site_copy.symlink_to(tmp_path / "real-content", target_is_directory=True)
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_template_linking_out_is_refused_and_the_previous_build_kept(site_copy, secret, run_cli, tmp_path,
                                                                       templates_dir):
    import shutil
    templates = tmp_path / "templates"
    shutil.copytree(templates_dir, templates)
    assert run_cli("build", "--content", "content", "--no-search", cwd=tmp_path).returncode == 0
    before = (tmp_path / "build" / "en" / "index.html").read_bytes()
    (templates / "static" / "extra.css").symlink_to(secret)
    result = run_cli("build", "--content", "content", "--no-search", cwd=tmp_path)
    assert result.returncode == 1
    assert "templates/static/extra.css: symbolic link to a file outside the templates folder, not read" in result.stderr
    _never_shown(result)
    assert (tmp_path / "build" / "en" / "index.html").read_bytes() == before
    assert not (tmp_path / "build" / "assets" / "extra.css").exists()


def test_problems_are_named_from_where_the_command_runs(site_copy, write_file, run_cli, tmp_path):
    write_file("actors/testland.yaml", (site_copy / "actors" / "testland.yaml").read_text().replace("kind: state", "kind: guild"))
    expected = "actors/testland.yaml:2:7: error: 'guild' is not a valid kind"
    inside = run_cli("check", "--content", "content", cwd=tmp_path)
    assert f"\ncontent/{expected}" in "\n" + inside.stderr
    above = run_cli("check", "--content", Path(tmp_path.name) / "content", cwd=tmp_path.parent)
    assert f"\n{tmp_path.name}/content/{expected}" in "\n" + above.stderr
    beside = tmp_path.parent / f"{tmp_path.name}-other"
    beside.mkdir()
    away = run_cli("check", "--content", site_copy, cwd=beside)
    assert f"\n{site_copy}/{expected}" in "\n" + away.stderr, "outside the working folder: absolute"


def test_the_read_cache_serves_any_working_folder(site_copy, run_cli, tmp_path, templates_dir):
    out = tmp_path / "build"
    first = run_cli("build", "--content", "content", "--templates", templates_dir, "--no-search", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    edited = site_copy / "themes" / "trade.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Sales of", "Sales, of"), encoding="utf-8")
    again = run_cli("build", "-v", "--content", site_copy, "--out", out, "--templates", templates_dir, "--no-search",
                    cwd="/")
    assert again.returncode == 0, again.stderr
    files = len(list(site_copy.rglob("*.yaml")))
    assert f"(1 files read, {files - 1} unchanged" in again.stderr
