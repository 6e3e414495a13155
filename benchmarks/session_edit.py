#!/usr/bin/env python3
"""One edit rebuilt the way `site-builder serve` rebuilds it: in a process that keeps
its last build in memory (pipeline.BuildMemory), after a first build in that process.

    python benchmarks/session_edit.py --content content --out out --templates templates [--no-search]

Run by run.py in a work folder the command-line scenarios have already built. Prints
JSON: the wall and CPU seconds of the second build only (CPU: this process and the
worker processes it waited for), the pages it rendered and the event it edited.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import run  # noqa: E402  (the edit, shared with the command-line scenarios)
from site_builder.building.pipeline import BuildConfig, BuildMemory, build  # noqa: E402

# Words not in the generator's vocabulary, and not EDIT_WORD (already written by edit-one):
# each edit must change the file, or the build would have nothing to do.
WARM_UP_WORD, SESSION_WORD = "Refonte", "Remodelage"


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--templates", type=Path, required=True)
    parser.add_argument("--no-search", action="store_true")
    args = parser.parse_args()
    options = BuildConfig(content=args.content, out=args.out, templates=args.templates, search=not args.no_search)
    memory = BuildMemory.kept_between_builds(args.out)
    run.EDIT_WORD = WARM_UP_WORD
    first = run.edit_one_event(args.content)  # a first build in this process, as `serve` starts with
    build(options, memory=memory)
    memory.settle()  # as serve does once a build is published
    run.EDIT_WORD = SESSION_WORD
    edited = run.edit_one_event(args.content)
    started, cpu = time.perf_counter(), _cpu()
    report = build(options, memory=memory)
    if report.skipped:
        print(f"the rebuild after editing {edited} did nothing", file=sys.stderr)
        return 1
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": _cpu() - cpu,
                      "rendered": len(report.rendered), "edited": edited, "warmed_with": first,
                      "word": SESSION_WORD}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
