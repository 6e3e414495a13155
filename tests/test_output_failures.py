"""Problems outside the content (templates, output folder) get one clear line, no traceback."""
from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent.parent / "templates"


def test_missing_templates_folder(site_copy, run_cli, tmp_path):
    result = run_cli("build", "--templates", "no-such-templates", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no-such-templates: templates folder not found" in result.stderr
    assert not (tmp_path / "build").exists()


def test_broken_template_names_its_file_and_line(site_copy, run_cli, tmp_path):
    broken = tmp_path / "templates"
    import shutil
    shutil.copytree(TEMPLATES, broken)
    (broken / "about.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ page.no_such_thing }}\n{% endblock %}\n')
    result = run_cli("build", "--templates", broken, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "about.html:3: template error:" in result.stderr


def test_a_template_syntax_error_names_its_file_and_line(site_copy, run_cli, tmp_path):
    """Caught when the templates are compiled, before any page is rendered."""
    broken = tmp_path / "templates"
    import shutil
    shutil.copytree(TEMPLATES, broken)
    (broken / "about.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ page.url( }}\n{% endblock %}\n')
    result = run_cli("build", "--templates", broken, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "about.html:3: template error:" in result.stderr
    assert not (tmp_path / "build").exists()


def test_output_path_that_is_a_file(site_copy, run_cli, tmp_path):
    (tmp_path / "build").write_text("not a folder")
    result = run_cli("build", "--templates", TEMPLATES, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write the site into" in result.stderr and "previous site was left as it was" in result.stderr
    assert (tmp_path / "build").read_text() == "not a folder"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".build")] == []


def test_usage_error_exits_2(run_cli, tmp_path):
    assert run_cli("build", "--base-url", "not-a-url", cwd=tmp_path).returncode == 2
    assert run_cli("frobnicate", cwd=tmp_path).returncode == 2


def test_base_url_option_sets_absolute_urls(site_copy, run_cli, tmp_path):
    result = run_cli("build", "--templates", TEMPLATES, "--base-url", "https://example.net/explainer", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "build" / "en" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.net/explainer/en/">' in page
    assert "https://example.net/explainer/fr/" in (tmp_path / "build" / "sitemap.xml").read_text()
    assert 'href="/explainer/en/"' in (tmp_path / "build" / "en" / "404.html").read_text()
