"""axe-core finds no WCAG 2.x A/AA violation on any page type, in either language."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


@pytest.fixture
def axe_page(browser, base_url, pages):
    if not pages.axe_js.exists():
        pytest.fail(f"{pages.axe_js} is missing: run `npm ci` (or `make test`)")
    # bypass_csp only so that axe itself can be injected; the site's own behaviour is
    # tested in contexts that honour its CSP.
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800},
                                  bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    target: {json.dumps(node['target'])}")
            lines.append(f"      html: {node['html'][:300]}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)


def test_axe_wcag_no_violations(axe_page, pages, page_type, lang):
    path = pages.path(page_type, lang)
    pages.goto(axe_page, path)
    axe_page.add_script_tag(path=str(pages.axe_js))
    violations = axe_page.evaluate(RUN_AXE, WCAG_TAGS)
    if violations:
        pytest.fail(f"{path}: {len(violations)} axe violation(s) ({', '.join(WCAG_TAGS)}):\n"
                    + _describe(violations), pytrace=False)
