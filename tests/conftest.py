"""Shared fixtures: the real CLI, real files, a private copy of the bundled content pack."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ncm_toolkit import content
from ncm_toolkit.cli.main import app
from ncm_toolkit.content import bundled_content_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "profiles"
PROPERTY_EXAMPLES = int(os.environ.get("NCM_FUZZ_EXAMPLES", "100"))
"""Examples per property test of the scoring (hypothesis's own default; most of their time is
hypothesis drawing the inputs). NCM_FUZZ_EXAMPLES=2000 for a longer hunt, as in test_fuzz.py."""


class Run:
    """Run `ncm ARGS` in-process and keep stdout and stderr apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(app, list(args), input=input, catch_exceptions=False)


_CACHE = pytest.StashKey[tuple[str | None, str]]()

# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set (this project's machines set
# it): otherwise each of the suite's ~200 `ncm` child processes compiles the package from
# source again, and each xdist worker rewrites every test module's assertions again (about a
# tenth of the suite's CPU). Set here, at the import of this file by pytest's main process,
# so that its workers and every child they start inherit it.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def pytest_configure(config: pytest.Config) -> None:
    """Tests never read or fill the user's pack cache. Set before test modules are imported,
    so that environments they copy from os.environ for child processes carry it too."""
    config.stash[_CACHE] = (os.environ.get("NCM_CACHE_DIR"), tempfile.mkdtemp(prefix="ncm-cache-"))
    os.environ["NCM_CACHE_DIR"] = config.stash[_CACHE][1]
    _ctrl_c_as_at_a_terminal()


def _ctrl_c_as_at_a_terminal() -> None:
    """Ctrl-C raises KeyboardInterrupt here and in every program the tests start, as at a
    terminal. A shell without job control starts a background command (`pytest ... &` in a
    script) with SIGINT ignored, which Python and every child it starts inherit: the tests that
    interrupt a batch then saw it run to the end ("the batch ended before the interrupt").
    A handled signal is reset to the default at exec, so children get Python's own handler."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_unconfigure(config: pytest.Config) -> None:
    before, made = config.stash[_CACHE]
    shutil.rmtree(made, ignore_errors=True)
    if before is None:
        os.environ.pop("NCM_CACHE_DIR", None)
    else:
        os.environ["NCM_CACHE_DIR"] = before


@pytest.fixture(autouse=True, scope="session")
def _private_cache() -> None:
    """The private pack cache is in place (pytest_configure) before any fixture uses it."""
    assert Path(os.environ["NCM_CACHE_DIR"]).name.startswith("ncm-cache-")


@pytest.fixture(autouse=True, scope="session")
def _build_the_app_once(_private_cache: None) -> Iterator[None]:
    """Typer's test runner builds the click command from `app` on every call (40 ms, a fifth
    of a typical test). Build it once: a click command is reusable, as a long-running program
    would call it; any other app is built as before."""
    import typer.testing

    real = getattr(typer.testing, "_get_command", None)
    if real is None:  # a typer without it: nothing to speed up
        yield
        return
    built = real(app)

    def get_command(typer_app: Any) -> Any:
        return built if typer_app is app else real(typer_app)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.testing, "_get_command", get_command)
        yield


@pytest.fixture(autouse=True, scope="session")
def _bundled_pack_once(_private_cache: None) -> Iterator[None]:
    """Every in-process command loads the bundled pack; from the tests' private cache that is
    still an unpickling of the whole pack (30-50 ms a call). Load it once per session and share
    it: commands only read a pack. A pack folder given explicitly, or a test pointing
    NCM_CACHE_DIR elsewhere (the cache's own tests), goes through the real loader."""
    real = content.load_pack
    private = os.environ["NCM_CACHE_DIR"]
    loaded: list[content.ContentPack] = []

    def load_pack(root: Path | None = None) -> content.ContentPack:
        if root is not None or os.environ.get("NCM_CACHE_DIR") != private:
            return real(root)
        if not loaded:
            loaded.append(real())
        return loaded[0]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(content, "load_pack", load_pack)
        yield


@pytest.fixture
def ncm() -> Run:
    return Run()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(bundled_content_dir(), dest)
    return dest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
schema_version: 1
name: Minimal partnership
objectives:
  integrating_primary_care: 4
"""


@pytest.fixture(scope="session")
def big_batch(tmp_path_factory):
    """More than AUTO_JOBS_FROM files: real profiles in four folders, three broken files among
    them, and an empty folder given on its own."""
    from ncm_toolkit.batch import AUTO_JOBS_FROM

    root = tmp_path_factory.mktemp("batch")
    sources = sorted(Path("tests/case_profiles").glob("*.yaml")) + sorted(EXAMPLES.glob("*.yaml"))
    for folder in "abcd":
        for src in sources:
            write(root / "in" / folder / src.name, src.read_text(encoding="utf-8"))
    write(root / "in" / "b" / "broken.yaml", "name: [unclosed\n")
    write(root / "in" / "c" / "typo.yaml", MINIMAL.replace("objectives", "objectivs"))
    write(root / "in" / "d" / "zero.yaml", MINIMAL.replace(": 4", ": 0"))
    (root / "empty").mkdir()
    assert len(list((root / "in").rglob("*.yaml"))) >= AUTO_JOBS_FROM
    return root


posix_only = pytest.mark.skipif(
    sys.platform == "win32",
    reason="needs what Windows lacks: a pty, POSIX signals, FIFOs, device nodes or file modes",
)
"""Tests of behaviour only POSIX systems have; everything else runs on every platform."""


def ncm_in_terminal(
    *args: str, cwd: Path, env: dict[str, str], rows: int = 40, cols: int = 80
) -> Any:
    """`ncm ARGS` in a real pseudo-terminal of ROWS x COLS (pexpect), keys sent without
    pexpect's default 50 ms pause: every test waits for its prompt before it types."""
    child = terminal_class()(
        sys.executable,
        ["-m", "ncm_toolkit", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(rows, cols),
    )
    child.delaybeforesend = None
    return child


def terminal_class() -> Any:
    """pexpect's spawn without its fixed pauses on closing (0.1 s and more a child): `close`
    after the end of output waits for the program to exit instead, so its exit status is its
    own, never a hang-up signal's."""
    import pexpect  # POSIX only: the tests that use it are marked so

    class Terminal(pexpect.spawn):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.delayafterterminate = 0.0
            self.ptyproc.delayafterclose = self.ptyproc.delayafterterminate = 0.0

        def close(self, force: bool = True) -> None:
            if self.flag_eof and self.isalive():
                self.wait()
            super().close(force)

    return Terminal


def readiness_ask_in_terminal(tmp_path: Path, env: dict[str, str], *more: str) -> tuple[Any, Path]:
    """A new readiness record for the north example (`ncm readiness init`, in-process), and
    `ncm readiness ask RECORD MORE...` on it in a real 40x80 terminal."""
    record = tmp_path / "dof.yaml"
    made = Run()(
        "readiness", "init", str(EXAMPLES / "north_practices.yaml"), "-o", str(record),
        "--role", "DoF", "--organisation", "North",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    child = ncm_in_terminal(
        "readiness", "ask", str(record), *more, cwd=tmp_path, env=env, rows=40, cols=80
    )
    return child, record


CHROMIUM = next((p for n in ("chromium", "chromium-browser") if (p := shutil.which(n))), None)


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`printed(html)`: the PDF headless Chromium prints from that HTML (no header or footer),
    printed once per run for the same bytes: a launch costs about 0.7 s of CPU and several
    tests read the same paper. Kept by digest in a folder the run's xdist workers share."""
    import hashlib
    import subprocess

    root = tmp_path_factory.getbasetemp()
    root = (root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / "printed"
    root.mkdir(exist_ok=True)

    def print_pdf(html: Path) -> Path:
        data = html.read_bytes()
        done = root / hashlib.sha256(data).hexdigest()
        if done.exists():
            return Path(done.read_text())
        work = Path(tempfile.mkdtemp(dir=root))
        (work / "paper.html").write_bytes(data)
        subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={work / 'chromium'}", "--no-pdf-header-footer",
             f"--print-to-pdf={work / 'paper.pdf'}", (work / "paper.html").as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        (work / "done").write_text(str(work / "paper.pdf"))
        os.replace(work / "done", done)  # whichever worker printed it first or last
        return work / "paper.pdf"

    return print_pdf
