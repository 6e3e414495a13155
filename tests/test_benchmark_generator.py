"""The benchmark's content generator (benchmarks/generate.py) writes valid content:
`check` passes with no warning, the site builds, the YAML means exactly what the
generator intended, and one seed always gives the same bytes."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.content.yaml_source import load_file

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "benchmarks" / "generate.py"
N = 60


def _generate(out: Path, seed: int = 1, entries: int = N) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GENERATOR), "--entries", str(entries), "--out", str(out),
                           "--seed", str(seed), "--quiet"],
                          capture_output=True, text=True, timeout=120, check=False)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generator_module():
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def test_generated_content_checks_without_warnings_and_builds(tmp_path, run_cli, templates_dir):
    generated = _generate(tmp_path / "content")
    assert generated.returncode == 0, generated.stderr

    checked = run_cli("check", "--content", "content", "--strict", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""
    assert "; 0 warning(s)." in checked.stdout
    # every kind is present, notes included (3 per source)
    for kind in ("theme", "event", "equipment", "actor", "source", "note", "dataset"):
        assert f" {kind}" in checked.stdout
    built = run_cli("build", "--content", "content", "--out", "build", "--templates", templates_dir, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "0 warning(s)" in built.stdout
    assert (tmp_path / "build" / "en" / "timeline" / "index.html").is_file()
    assert len(list((tmp_path / "build" / "fr" / "chronologie").glob("*/index.html"))) > 10


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        result = _generate(tmp_path / name, seed)
        assert result.returncode == 0, result.stderr
    first, second, other = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert first == second
    assert first != other


def test_yaml_written_means_what_the_generator_intended(tmp_path, generator_module):
    """Quoting is safe: the project's strict YAML reader gets back exactly the data generated."""
    documents = generator_module.Generator(N, 3).documents()
    for relative, data in documents.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generator_module.to_yaml(data), encoding="utf-8")
        source, problems = load_file(path, relative)
        assert problems == [], relative
        assert source.data == generator_module.plain_data(data), relative


def test_proportions_and_prose(generator_module):
    plan = generator_module.plan(2000)
    assert plan.entries == 2000
    assert plan.notes == 3 * plan.sources
    assert plan.themes == 12 and 2 <= plan.datasets <= 5
    assert (plan.events, plan.actors, plan.equipment, plan.sources) == (992, 441, 331, 220)
    documents = generator_module.Generator(N, 1).documents()
    event = next(data for path, data in documents.items() if path.startswith("timeline/"))
    for lang in ("fr", "en"):
        prose = str(event["summary"][lang]) + " " + str(event["body"][lang])
        assert prose.count("[^") == 3
        assert prose.count("](") == 3
        assert 200 <= len(prose.split()) <= 330


def test_tricky_strings_are_quoted(generator_module):
    to_yaml = generator_module.to_yaml
    text = to_yaml({"a": "no", "b": "010", "c": "1e5", "d": "x: y # z", "e": '"quoted" \\ back', "f": "2023-10-04",
                    "g": ["on", "ok-id"], "date": "2023-10-04"})
    assert text == ('a: "no"\nb: "010"\nc: "1e5"\nd: "x: y # z"\ne: "\\"quoted\\" \\\\ back"\nf: "2023-10-04"\n'
                    'g: ["on", ok-id]\ndate: 2023-10-04\n')


def test_check_reads_on_every_core_and_reports_exactly_what_one_core_reports(tmp_path):
    """`site-builder check` reads files in worker processes, as a build does, once there
    are enough of them (reading.MIN_FILES_PER_WORKER): the same problems, in the same order."""
    from site_builder.building.pipeline import ContentError, check
    from site_builder.building.reading import MIN_FILES_PER_WORKER
    content = tmp_path / "content"
    assert _generate(content, entries=400).returncode == 0
    assert len(list(content.rglob("*.yaml"))) >= 2 * MIN_FILES_PER_WORKER
    events = sorted((content / "timeline").glob("*.yaml"))
    for event in (events[3], events[-3]):  # one mistake early and one late in the reading order
        event.write_text(event.read_text(encoding="utf-8").replace("\ndate: ", "\ndat: ", 1), encoding="utf-8")
    reports = []
    for jobs in (1, 2):
        with pytest.raises(ContentError) as raised:
            check(content, jobs=jobs)
        reports.append([str(problem) for problem in raised.value.problems])
    assert reports[0] == reports[1]
    assert sum("unknown field 'dat'" in line for line in reports[0]) == 2
