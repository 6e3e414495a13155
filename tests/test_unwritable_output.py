"""A full disk, a read-only output location and a missing templates folder:
exit status 1, one line naming the path and what to do, no traceback, and the
previous build left exactly as it was.

The output lives on a small tmpfs mounted for the test (CI runs as root, so
folder permissions would not stop a write; a read-only or full file system
does). Where mounting is impossible (not root, no mount namespace), the same
tests run with the system call failing on purpose instead (`OSError` with
ENOSPC or EROFS, raised where the build writes), so they always run.
"""
from __future__ import annotations

import builtins
import errno
import hashlib
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest

from site_builder.commands.cli import main

TESTS = Path(__file__).parent
TEMPLATES = TESTS.parent / "templates"


def manifest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(params=["tmpfs", "injected"])
def disk(request, tmp_path: Path):
    """A folder on its own tmpfs, as (path, True); or a plain folder, as (path, False), where
    the test injects the errors: always with "injected", and with "tmpfs" when mounting is
    impossible. Unmounted afterwards, whatever happens."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = False
    if request.param == "tmpfs":
        try:
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
                                     capture_output=True).returncode == 0
        except OSError:  # no mount command
            pass
    try:
        yield mount_point, mounted
    finally:
        if mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(mount_point)], capture_output=True)
            if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode:
                subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=True)  # busy: detach


def _remount(mount_point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount_point)], capture_output=True, check=True)


def _used_bytes(mount_point: Path) -> int:
    stat = os.statvfs(mount_point)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


@contextmanager
def failing_writes(monkeypatch, error: int, where: Path):
    """Every file written under `where` fails with `error`, as on a full disk."""
    original = builtins.open

    def open_(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wxa") \
                and where in Path(file).absolute().parents:
            raise OSError(error, os.strerror(error), str(file))
        return original(file, mode, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", open_)
        yield


@contextmanager
def read_only(monkeypatch, where: Path):
    """Creating, writing or deleting anything in `where` fails with EROFS, as on a
    read-only file system (including the build cache folder kept there)."""
    original_mkdtemp, original_mkdir, original_open, original_unlink = tempfile.mkdtemp, os.mkdir, builtins.open, os.unlink

    def refuse(path):
        if where == Path(path).absolute() or where in Path(path).absolute().parents:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    def open_(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wxa+"):
            refuse(file)
        return original_open(file, mode, *args, **kwargs)

    def unlink(path, *, dir_fd=None):
        refuse(path)
        return original_unlink(path, dir_fd=dir_fd)

    def mkdtemp(suffix=None, prefix=None, dir=None):
        refuse(Path(dir or ".") / f"{prefix or ''}x")
        return original_mkdtemp(suffix, prefix, dir)

    def mkdir(path, mode=0o777, *, dir_fd=None):
        refuse(path)
        return original_mkdir(path, mode, dir_fd=dir_fd)

    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkdtemp", mkdtemp)
        patch.setattr(os, "mkdir", mkdir)
        patch.setattr(builtins, "open", open_)
        patch.setattr(os, "unlink", unlink)
        yield


def build(content: Path, out: Path, templates: Path = TEMPLATES) -> int:
    return main(["build", "--content", str(content), "--out", str(out), "--templates", str(templates),
                 "--no-search", "--quiet"])


def one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def change(content: Path) -> None:
    event = content / "timeline" / "2022-06-example-delivery.yaml"
    event.write_text(event.read_text().replace("Example delivery", "Example delivery, changed"))


def change_every_page(content: Path) -> None:
    """An edit to the site's settings: every page must be written again."""
    settings = content / "site.yaml"
    settings.write_text(settings.read_text().replace("en: Example Dynamics", "en: Example Dynamics, changed", 1))


def test_full_disk(site_copy, disk, monkeypatch, capsys):
    mount_point, mounted = disk
    out = mount_point / "build"
    assert build(site_copy, out) == 0
    before = manifest(out)
    change_every_page(site_copy)
    if mounted:  # room for about a third of a second copy of the site
        site_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        _remount(mount_point, f"size={_used_bytes(mount_point) + site_bytes // 3}")
    with nullcontext() if mounted else failing_writes(monkeypatch, errno.ENOSPC, mount_point):
        capsys.readouterr()
        status = build(site_copy, out)
    line = one_error_line(capsys)
    assert status == 1
    assert line == (f"error: cannot write the site into {out}: No space left on device; the previous site was left "
                    "as it was (free some disk space, or pass --out with a folder on another disk)")
    assert manifest(out) == before
    assert [p.name for p in mount_point.iterdir() if p.name.startswith(".build.")] == []
    if mounted:  # and once there is room again, the build goes through
        _remount(mount_point, "size=64m")
        assert build(site_copy, out) == 0 and manifest(out) != before


def test_read_only_output_location(site_copy, disk, monkeypatch, capsys):
    mount_point, mounted = disk
    out = mount_point / "build"
    assert build(site_copy, out) == 0
    before = manifest(out)
    change(site_copy)
    if mounted:
        _remount(mount_point, "ro")
    with nullcontext() if mounted else read_only(monkeypatch, mount_point):
        capsys.readouterr()
        status = build(site_copy, out)
    line = one_error_line(capsys)
    assert status == 1
    # the site is prepared in a new folder next to it, or in the spare folder kept in the cache
    assert line.startswith((f"error: cannot create the output folder next to {out}: Read-only file system",
                            f"error: cannot write the site into {out}: Read-only file system; "
                            "the previous site was left as it was"))
    assert line.endswith("(pass --out with a folder you can write to, or make this one writable)")
    assert manifest(out) == before


def test_missing_templates_folder_leaves_the_previous_build(site_copy, tmp_path, capsys):
    out = tmp_path / "build"
    assert build(site_copy, out) == 0
    before = manifest(out)
    change(site_copy)
    capsys.readouterr()
    assert build(site_copy, out, templates=tmp_path / "no-such-templates") == 1
    line = one_error_line(capsys)
    assert line.startswith(f"error: {tmp_path / 'no-such-templates'}: templates folder not found")
    assert "pass --templates with the folder that holds the site's templates" in line
    assert manifest(out) == before


def test_templates_folder_without_its_translations(site_copy, tmp_path, capsys):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    shutil.rmtree(templates / "locale")
    out = tmp_path / "build"
    assert build(site_copy, out, templates=templates) == 1
    line = one_error_line(capsys)
    assert line.startswith("error: ") and "locale" in line
    assert not out.exists()
