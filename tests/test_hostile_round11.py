"""Hostile input, round 11: the reference commands and papers with a hostile content pack
(`--content DIR`, a copy of data/ edited), `ncm readiness init` from odd profiles and the
outputs added last (the "Since the guidance" cover row and closing line). Each test runs the
real CLI on real files and fails without its fix."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import EXAMPLES, write

NORTH = EXAMPLES / "north_practices.yaml"

_FORGED = "::error::forged ##[error]forged"
"""A GitHub Actions workflow command (`::` at the start of a line) and the runner's older
syntax (`##[`, obeyed anywhere in a line)."""


def _obeyed(page: str) -> list[str]:
    """The lines of a page a GitHub Actions runner would act on when the page is printed to
    its log (`cat report.html`)."""
    return [line for line in page.splitlines() if line.lstrip().startswith("::") or "##[" in line]


def _hostile_title_pack(pack_copy: Path) -> Path:
    """The bundled pack with the title of a currency note qualifying GP Federation (the option
    the North example ranks first) holding a tab and both workflow command forms."""
    currency = pack_copy / "currency.yaml"
    text = currency.read_text(encoding="utf-8")
    old = "title: Primary care networks beside federations and super-practices"
    assert old in text
    currency.write_text(
        text.replace(old, 'title: "Primary care networks\\t' + _FORGED + '"'), encoding="utf-8"
    )  # a tab, not a line break: a title is one line since session 12 (`ncm validate`)
    return pack_copy


def test_html_pages_start_no_workflow_command_from_pack_or_profile_text(
    ncm, tmp_path: Path, pack_copy: Path
) -> None:
    """HTML kept text from a file as written, HTML-escaped: a currency note's title with a
    line break then `::error::...` put that command at the start of a line of the board
    paper's "Since the guidance" row, and `##[error]` in a partnership name or a pack title
    reached every HTML page (report, comparison, plan, readiness) raw, so `cat paper.html` in
    a GitHub Actions log forged an error annotation. Markdown and terminals already showed
    them as `\\x3a:` and `##\\x5b`. Now an HTML page writes that colon as `&#x3a;` and the
    `[` as `&#x5b;` (a browser shows the same text), outside `<style>` and `<script>`."""
    pack = _hostile_title_pack(pack_copy)
    profile = write(
        tmp_path / "north.yaml",
        NORTH.read_text(encoding="utf-8").replace(
            "name: North Locality practices", 'name: "North\\n::error::forged ##[error]forged"', 1
        ),
    )
    assert "##[error]" in profile.read_text(encoding="utf-8")
    record = tmp_path / "r.yaml"
    made = ncm(
        "readiness", "init", str(profile), "-o", str(record),
        "--role", "DoF", "--organisation", "Org", "--content", str(pack),
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    paper = tmp_path / "north.html"
    r = ncm("report", str(profile), "-o", str(paper), "--content", str(pack))
    assert r.exit_code == 0, r.output
    page = paper.read_text(encoding="utf-8")
    assert "Since the guidance" in page
    assert "forged" in page
    assert _obeyed(page) == []
    assert "&#x3a;:error::forged ##&#x5b;error]forged" in page
    for args in (
        ("compare", str(profile), str(NORTH), "--format", "html"),
        ("plan", str(profile), "--format", "html"),
        ("readiness", "show", str(record), "--format", "html"),
    ):
        shown = ncm(*args, "--content", str(pack))
        assert shown.exit_code == 0, (args, shown.output)
        assert "forged" in shown.stdout, args
        assert _obeyed(shown.stdout) == [], (args, _obeyed(shown.stdout))
    # the page's own style sheet is left as written
    assert re.search(r"<style>[^<]*\{", page)


def test_init_from_an_example_takes_the_name_given(ncm, tmp_path: Path) -> None:
    """`ncm init --example north_practices --name "Riverside"` wrote, exit 0, a profile named
    "North Locality practices": `--name` was dropped without a word, and the board paper made
    from it carried another partnership's name. The copy now takes the name given (checked as
    the profile checks it: `--name ""` is a usage error here too)."""
    out = tmp_path / "mine.yaml"
    r = ncm("init", "--example", "north_practices", str(out), "--name", 'Riverside: "R" & Co')
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "North Locality practices" not in text
    shown = ncm("score", str(out), "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert '"Riverside: \\"R\\" & Co"' in shown.stdout
    # the rest of the example is kept as it was
    north = NORTH.read_text(encoding="utf-8").splitlines()
    assert text.splitlines()[2:] == north[2:]
    same = ncm("init", "--example", "north_practices", "-")
    assert same.exit_code == 0 and same.stdout == NORTH.read_text(encoding="utf-8")
    bad = ncm("init", "--example", "north_practices", str(tmp_path / "b.yaml"), "--name", " ")
    assert bad.exit_code == 2, bad.output
    assert "--name" in bad.stderr and not (tmp_path / "b.yaml").exists()
