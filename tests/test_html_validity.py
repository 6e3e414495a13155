"""Every page of the built site is valid HTML, according to the Nu HTML Checker (vnu.jar).

Note: this vnu spells the option `--skip-non-html`; the older `--skipnonhtml` is accepted
silently but ignored, and would check sitemap.xml, robots.txt and CSS as HTML.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_DETAILS = 300
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# It needs Java and the npm tools, like the browser tests: run with them (never skipped).
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """The real site, built from content/ with the CLI into a temporary directory."""
    out = tmp_path_factory.mktemp("vnu-site") / "build"
    cmd = [sys.executable, "-m", "site_builder", "build", "--content", str(ROOT / "content"),
           "--out", str(out), "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"site build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                    f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")
    return out


def test_built_site_is_valid_html(built_site):
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install a Java runtime (apt-get install -y default-jre-headless, "
                    "or run `make test` as root)")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` (or `make test`)")
    html_files = sorted(built_site.rglob("*.html"))
    assert html_files, f"the build wrote no HTML files into {built_site}"

    proc = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json", str(built_site)],
        capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(proc.stderr or "{}")
    except json.JSONDecodeError:
        pytest.fail(f"vnu exited {proc.returncode} with unreadable output:\n{proc.stderr}\n{proc.stdout}")
    messages = report.get("messages", [])
    problems = [m for m in messages if m.get("type") in ("error", "non-document-error")
                or m.get("subType") == "fatal"]

    by_message: dict[str, list[str]] = {}
    details = []
    for m in problems:
        url = m.get("url", "")
        where = url.split(str(built_site), 1)[-1].lstrip("/") if str(built_site) in url else url
        line = m.get("lastLine", m.get("firstLine", "?"))
        col = m.get("firstColumn", m.get("lastColumn", "?"))
        place = f"{where}:{line}:{col}"
        by_message.setdefault(f"{m.get('type')}: {m.get('message')}", []).append(place)
        text = f"{place}: {m.get('type')}: {m.get('message')}"
        if m.get("extract"):
            text += f"\n    {m['extract'].strip()!r}"
        details.append(text)
    summary = [f"{len(places):5d} x {message}\n        e.g. {', '.join(places[:3])}"
               for message, places in sorted(by_message.items(), key=lambda kv: -len(kv[1]))]
    shown = details[:MAX_DETAILS] + ([f"... and {len(details) - MAX_DETAILS} more"]
                                     if len(details) > MAX_DETAILS else [])
    assert not problems and proc.returncode == 0, (
        f"Nu HTML checker: {len(problems)} error(s) in {len(html_files)} HTML files "
        f"(exit {proc.returncode}).\nDistinct messages:\n" + "\n".join(summary)
        + "\nAll messages:\n" + "\n".join(shown))
