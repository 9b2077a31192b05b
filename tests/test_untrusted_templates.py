"""Untrusted `--templates` folders and `--content` packs through the real CLI: user templates
are read only from regular files inside their folder, rendered bounded in time and memory,
their runtime errors located; `fragment()` obeys the sandbox; and no text from a file, pack
text included, becomes live Markdown (link, image, HTML, comment, autolink) in a Markdown
report, a comparison or the GitHub job summary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ncm_toolkit.content import bundled_content_dir

from .conftest import EXAMPLES, ROOT, posix_only, write

PROFILE = EXAMPLES / "south_borough_integration.yaml"


def report(ncm, tmp_path: Path, templates: Path, fmt: str = "md"):
    out = tmp_path / f"out.{fmt}"
    result = ncm(
        "report", str(PROFILE), "--format", fmt, "-o", str(out), "--templates", str(templates)
    )
    return result, out


def ncm_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`ncm` as a separate process: a template that hung the old code fails the test (by
    the timeout, generous: not a timing assertion) instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "ncm_toolkit", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})},
    )


# -- reading templates ----------------------------------------------------------------------


@posix_only
@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
@pytest.mark.parametrize("target", ["outside", "environ", "folder"])
def test_a_link_is_never_followed(ncm, tmp_path, target):
    secret = write(tmp_path / "secret" / "report.md.j2", "SECRET {{ profile.name }}\n")
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    if target == "outside":
        (tpl / "report.md.j2").symlink_to(secret)
    elif target == "environ":
        (tpl / "report.md.j2").symlink_to("/proc/self/environ")
    else:  # a folder inside that is a link to one outside
        (tpl / "sub").symlink_to(secret.parent, target_is_directory=True)
        write(tpl / "report.md.j2", '{% include "sub/report.md.j2" %}\n')
    result, out = report(ncm, tmp_path, tpl)
    assert result.exit_code == 1, result.stdout
    assert "symbolic link" in result.stderr and "internal error" not in result.stderr
    assert str(tpl) in result.stderr
    assert not out.exists()


def test_dot_dot_cannot_leave_the_folder(ncm, tmp_path):
    write(tmp_path / "secret.j2", "SECRET\n")
    tpl = tmp_path / "tpl"
    write(tpl / "report.md.j2", '{% include "../secret.j2" %}\n')
    result, out = report(ncm, tmp_path, tpl)
    assert result.exit_code == 1
    assert "template error" in result.stderr and "internal error" not in result.stderr
    assert not out.exists() or "SECRET" not in out.read_text()


@posix_only
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_is_refused_not_read(tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    os.mkfifo(tpl / "report.md.j2")  # reading it would wait for a writer for ever
    out = tmp_path / "out.md"
    run = ncm_process(
        "report", str(PROFILE), "--format", "md", "-o", str(out), "--templates", str(tpl)
    )
    assert run.returncode == 1, run.stderr
    assert "not a regular file" in run.stderr


# -- bounds and located errors --------------------------------------------------------------


def test_an_endless_loop_is_stopped(tmp_path):
    """Nested loops that print nothing never reach the output cap: the time bound stops them."""
    tpl = write(
        tmp_path / "tpl" / "report.md.j2",
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}\n",
    )
    out = tmp_path / "out.md"
    run = ncm_process(
        "report", str(PROFILE), "--format", "md", "-o", str(out), "--templates", str(tpl.parent),
        env={"NCM_TEMPLATE_TIMEOUT": "1"},
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert "report.md.j2" in run.stderr and "NCM_TEMPLATE_TIMEOUT" in run.stderr
    assert not out.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="the memory bound is RLIMIT_AS (Linux)")
def test_a_huge_allocation_is_stopped(ncm, tmp_path, monkeypatch):
    """300 MB in one string, under a 64 MiB bound: the 20M-character cap counts output only,
    and `| length` prints a few characters."""
    monkeypatch.setenv("NCM_TEMPLATE_MEMORY", "64")
    tpl = write(tmp_path / "tpl" / "report.md.j2", '{{ ("x" * 300000000) | length }}\n')
    result, out = report(ncm, tmp_path, tpl.parent)
    assert result.exit_code == 1
    assert "NCM_TEMPLATE_MEMORY" in result.stderr and "internal error" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("{{ 1 // 0 }}", "ZeroDivisionError"),
        ("{{ 10.0 ** 1000 }}", "OverflowError"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "RecursionError"),
    ],
)
def test_a_runtime_error_is_located(ncm, tmp_path, expression, error):
    tpl = write(tmp_path / "tpl" / "report.md.j2", f"# {{{{ profile.name }}}}\n\n{expression}\n")
    result, out = report(ncm, tmp_path, tpl.parent)
    assert result.exit_code == 1
    assert f"{tpl}:3:" in result.stderr, result.stderr
    assert error in result.stderr and "internal error" not in result.stderr
    assert not out.exists()


def test_bounds_are_checked(ncm, tmp_path, monkeypatch):
    monkeypatch.setenv("NCM_TEMPLATE_TIMEOUT", "soon")
    tpl = write(tmp_path / "tpl" / "report.md.j2", "# {{ profile.name }}\n")
    result, _ = report(ncm, tmp_path, tpl.parent)
    assert result.exit_code == 2 and "NCM_TEMPLATE_TIMEOUT" in result.stderr


def test_a_user_template_still_renders(ncm, tmp_path):
    tpl = write(tmp_path / "tpl" / "report.md.j2", "# {{ profile.name }}\n")
    result, out = report(ncm, tmp_path, tpl.parent)
    assert result.exit_code == 0, result.stderr
    assert out.read_text() == "# South Borough integrated care partnership\n"


def test_no_user_template_is_compiled_into_the_cache(ncm, tmp_path, monkeypatch):
    """Only the bundled templates are kept compiled in the private cache folder (HMAC-checked,
    tests/test_report_speed_cache.py); a user template is compiled in the sandboxed child that
    renders it, in memory, and nothing of it is written there."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NCM_CACHE_DIR", str(cache))
    tpl = write(tmp_path / "tpl" / "report.md.j2", "# {{ profile.name }}\n")
    result, _ = report(ncm, tmp_path, tpl.parent)
    assert result.exit_code == 0, result.stderr
    assert not list(cache.glob("template-*"))
    assert not [p for p in cache.rglob("*") if "tpl" in p.name or p.suffix == ".cache"]


# -- fragment() -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        'fragment("__getattribute__", "__dict__")',
        'fragment("__getattribute__", "__class__")',
        'fragment("__class__")',
        'fragment("__reduce_ex__", 2)',
        'fragment("mro")',
    ],
)
def test_fragment_obeys_the_sandbox(ncm, tmp_path, call):
    tpl = write(tmp_path / "tpl" / "report.html.j2", f"{{{{ {call} }}}}\n")
    result, out = report(ncm, tmp_path, tpl.parent, fmt="html")
    assert result.exit_code == 1, out.read_text() if out.exists() else ""
    assert "template error" in result.stderr and "internal error" not in result.stderr
    assert not out.exists()


def test_fragment_still_gives_fragments(ncm, tmp_path):
    tpl = write(tmp_path / "tpl" / "report.html.j2", '{{ fragment("sources") }}\n')
    result, out = report(ncm, tmp_path, tpl.parent, fmt="html")
    assert result.exit_code == 0, result.stderr
    assert "<li" in out.read_text()


# -- Markdown from a hostile content pack ---------------------------------------------------

HOSTILE = (
    "![t](https://t.example/p.png) [click](https://evil.example/x) <img src=x onerror=alert(1)>"
    " <!-- https://bare.example/y www.evil.example mail@evil.example *em* $x$ | cell"
)


def hostile_pack(pack: Path) -> Path:
    """Every option's title, and its first barrier, carry Markdown, HTML and bare links."""
    for model in sorted((pack / "models").glob("*.yaml")):
        text = model.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^title: (.*)$", lambda m: f"title: '{m[1]} {HOSTILE}'", text, count=1)
        text = re.sub(
            r"(?m)^barriers:\n  - text: >-\n",
            lambda m: m[0] + f"      {HOSTILE}\n",
            text,
            count=1,
        )
        assert HOSTILE in text
        model.write_text(text, encoding="utf-8")
    return pack


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile pack, built once for the module: the tests only read it."""
    pack = tmp_path_factory.mktemp("hostile") / "pack"
    shutil.copytree(bundled_content_dir(), pack)
    return hostile_pack(pack)


CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
"""A Markdown code span: nothing inside one is a link, an autolink, HTML or emphasis (a
currency note's source URL is printed as one, so that it is copied whole)."""


def outside_code(markdown: str) -> str:
    return CODE_SPAN.sub("", markdown)


def assert_inert(markdown: str) -> None:
    """No live image, link, HTML tag or comment, and nothing GitHub would autolink."""
    assert "t.example" in markdown and "evil.example" in markdown  # the text is shown
    markdown = outside_code(markdown)
    assert not re.search(r"(?<!\\)!\[", markdown)
    assert not re.search(r"(?<!\\)\]\(", markdown)
    assert not re.search(r"(?<!\\)<(img|!--)", markdown)
    assert not re.search(r"https?://", markdown)  # `https\://` is not autolinked
    assert not re.search(r"(?i)www\.evil", markdown)
    assert not re.search(r"[\w.]@[\w]", markdown)  # `@` is followed by a zero-width joiner
    assert not re.search(r"(?<!\\)\$x", markdown)
    try:  # where GitHub's own renderer is installed, ask it too
        import cmarkgfm  # type: ignore[import-not-found]
    except ImportError:
        return
    unsafe = cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE  # raw HTML kept, as GitHub keeps <details>
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=unsafe)
    assert "<a " not in html and "<img" not in html and "<!--" not in html


def test_hostile_pack_text_is_inert_in_markdown(ncm, hostile, tmp_path, monkeypatch):
    pack = hostile
    summary = tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = tmp_path / "r.md"
    result = ncm(
        "report", str(PROFILE), "--format", "md", "-o", str(out), "--content", str(pack),
        "--github-summary",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert_inert(text)
    assert_inert(summary.read_text(encoding="utf-8"))
    html = tmp_path / "r.html"  # the HTML report escapes it too (autoescape)
    result = ncm(
        "report", str(PROFILE), "--format", "html", "-o", str(html), "--content", str(pack)
    )
    assert result.exit_code == 0, result.stderr
    assert "<img src=x" not in html.read_text(encoding="utf-8")


def test_hostile_pack_text_is_inert_in_a_comparison(ncm, hostile, tmp_path):
    pack = hostile
    out = tmp_path / "c.md"
    result = ncm(
        "compare", str(PROFILE), str(EXAMPLES / "north_practices.yaml"), "--format", "md",
        "-o", str(out), "--content", str(pack),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert_inert(out.read_text(encoding="utf-8"))


def test_profile_text_cannot_autolink(ncm, tmp_path):
    profile = write(
        tmp_path / "p.yaml",
        PROFILE.read_text(encoding="utf-8").replace(
            "name: South Borough integrated care partnership",
            "name: 'See www.evil.example, https://evil.example and boss@evil.example'",
        ),
    )
    out = tmp_path / "p.md"
    result = ncm("report", str(profile), "--format", "md", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "evil.example" in text or "evil\\.example" in text
    assert not re.search(r"https?://|(?i:www)\.evil|[\w.]@\w", outside_code(text))


def test_a_missing_fragment_names_the_users_fragments_file(ncm, tmp_path: Path) -> None:
    """The bundled paper calls `fragment('css')`; a user's fragments file without it is the file
    to fix, so the error names it, not only the bundled template that called it."""
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "report_fragments.html.j2").write_text(
        "{% macro sources() %}x{% endmacro %}\n", encoding="utf-8"
    )
    result = ncm(
        "report", str(PROFILE), "--templates", str(folder), "--format", "html",
        "-o", str(tmp_path / "p.html"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no fragment named 'css'" in result.stderr
    assert str(folder / "report_fragments.html.j2") in result.stderr
    assert not (tmp_path / "p.html").exists()
