"""Issue 12, output files and the environment: `--force` replaces regular files only, SIGTERM
and SIGHUP stop a batch cleanly, `validate` never calls unchecked files valid, deep and hidden
folders, system errors as one line, output modes, stable report names, dependency floors."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pexpect
import pytest

from ncm_toolkit.content import bundled_content_dir

from .conftest import EXAMPLES, MINIMAL, ROOT, posix_only, terminal_class, write

PROFILE = sorted(EXAMPLES.glob("*.yaml"))[0]


def one_line_error(stderr: str, *words: str) -> None:
    """One line, naming what it should, and nothing that looks like a bug."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    for w in words:
        assert w in lines[0], (w, stderr)


# -- 7: --force replaces regular files only ----------------------------------------------------


@posix_only
def test_force_does_not_replace_a_fifo(ncm, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (
        ("score", str(PROFILE), "--format", "json"),
        ("report", str(PROFILE), "--format", "md"),
    ):
        result = ncm(*args, "-o", str(fifo), "--force")
        assert result.exit_code == 2
        one_line_error(result.stderr, str(fifo), "FIFO", "regular files only")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left


@posix_only
def test_force_does_not_replace_a_device_or_write_through_a_link(ncm, tmp_path):
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    except OSError:
        pytest.skip("cannot make a device node here (not root)")
    link = tmp_path / "link.json"
    link.symlink_to(null)
    result = ncm("score", str(PROFILE), "--format", "json", "-o", str(null), "--force")
    assert result.exit_code == 2
    one_line_error(result.stderr, str(null), "character device")
    result = ncm("score", str(PROFILE), "--format", "json", "-o", str(link), "--force")
    assert result.exit_code == 2
    one_line_error(result.stderr, str(link), "symbolic link")
    assert stat.S_ISCHR(os.lstat(null).st_mode) and link.is_symlink()


# -- 8: SIGTERM and SIGHUP during a --jobs batch -----------------------------------------------


@pytest.fixture(scope="module")
def many_profiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signals") / "profiles"
    root.mkdir()
    text = PROFILE.read_bytes()
    for i in range(4000):
        (root / f"p{i:04}.yaml").write_bytes(text)
    return root


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="--jobs forks on Linux only")
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_stops_the_batch_cleanly(many_profiles, tmp_path, sig, code):
    env = {**os.environ, "NCM_CACHE_DIR": "off"}
    cmd = [sys.executable, "-m", "ncm_toolkit", "score", str(many_profiles)]
    proc = subprocess.Popen(
        [*cmd, "--jobs", "2", "--format", "json", "-o", "out.json"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    for _ in range(3000):  # until the output's temporary file and the workers exist
        workers = _children(proc.pid)
        if len(workers) >= 2 and any(p.suffix == ".tmp" for p in tmp_path.iterdir()):
            break
        if proc.poll() is not None:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the batch ended before it could be stopped"
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err and f"stopped by {sig.name}" in err
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file
    assert workers and not any(_alive(p) for p in workers)


# -- 9: validate never calls unchecked files valid ---------------------------------------------


def test_a_pack_copied_among_profiles_does_not_hide_them(ncm, tmp_path):
    profiles = tmp_path / "profiles"
    shutil.copytree(bundled_content_dir(), profiles)
    write(profiles / "broken.yaml", "name: [unclosed\n")
    write(profiles / "team" / "typo.yaml", MINIMAL.replace("objectives", "objectivs"))
    result = ncm("validate", str(profiles))
    assert result.exit_code == 1
    assert "ok:" not in result.stdout
    for name in ("broken.yaml", "typo.yaml"):
        assert re.search(rf"{name}:1:1: not a file of the content pack", result.stderr), name
    # a models/ folder alone does not make a pack: everything is checked as a profile
    (profiles / "pack.yaml").unlink()
    result = ncm("validate", str(profiles))
    assert result.exit_code == 1 and "broken.yaml:2:1" in result.stderr


def test_validate_without_a_path_says_what_it_checked(ncm):
    result = ncm("validate")
    assert result.exit_code == 0
    assert re.fullmatch(
        r"ok: \d+ files valid \(content pack: bundled\); give a path to check profiles\n",
        result.stdout,
    )


# -- 15: deep folders, hidden folders ----------------------------------------------------------


@pytest.fixture
def deep(tmp_path: Path):
    """1,200 nested folders with a profile at the bottom, removed bottom-up afterwards:
    pytest's clean-up (shutil.rmtree) would hit Python's recursion limit on them."""
    top = tmp_path / "deep"
    top.mkdir()
    folders = [str(top)]
    for _ in range(1200):  # one level at a time: os.makedirs itself recurses
        folders.append(folders[-1] + "/d")
        os.mkdir(folders[-1])
    shutil.copy(PROFILE, folders[-1] + "/x.yaml")
    yield top
    os.unlink(folders[-1] + "/x.yaml")
    for folder in reversed(folders[1:]):
        os.rmdir(folder)


def test_deep_folders_and_hidden_entries(ncm, tmp_path, deep):
    top = deep
    write(top / ".git" / "objects" / "bad.yaml", "name: [unclosed\n")
    write(top / ".github" / "workflows" / "ci.yml", "on: push\n")
    write(top / ".hidden.yaml", "name: [unclosed\n")
    result = ncm("validate", str(top))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok: 1 file valid\n"
    result = ncm("score", str(top), "--format", "csv", "--top", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 2
    result = ncm("report", str(top), "--format", "md", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x.md"]
    # named explicitly, a hidden file is checked
    result = ncm("validate", str(top / ".hidden.yaml"))
    assert result.exit_code == 1 and ".hidden.yaml:2:1" in result.stderr


# -- 16: environment errors are one line, exit 1 -----------------------------------------------


def test_output_in_a_missing_folder(ncm, tmp_path):
    target = tmp_path / "nope" / "out.json"
    result = ncm("score", str(PROFILE), "--format", "json", "-o", str(target))
    assert result.exit_code == 1
    one_line_error(result.stderr, str(target), "no such folder")


def test_output_name_too_long(ncm, tmp_path):
    target = tmp_path / ("x" * 300 + ".json")
    result = ncm("score", str(PROFILE), "--format", "json", "-o", str(target))
    assert result.exit_code == 1
    one_line_error(result.stderr, str(target), "file name too long")


@pytest.mark.parametrize(
    "code, cause",
    [
        (errno.ENOSPC, "no space left"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_disk_full_read_only_permission_denied(ncm, tmp_path, monkeypatch, code, cause):
    def refuse(*_args: object, **_kw: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)  # where every output is put in place
    monkeypatch.setattr(os, "link", refuse)  # or, without --force, named (files._link_new)
    out = tmp_path / "scores.csv"
    result = ncm("score", str(PROFILE), "--format", "csv", "-o", str(out))
    assert result.exit_code == 1
    one_line_error(result.stderr, str(out), cause)
    result = ncm("report", str(PROFILE), "--format", "md", "-o", str(tmp_path / "r.md"))
    assert result.exit_code == 1
    one_line_error(result.stderr, str(tmp_path / "r.md"), cause)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="--jobs forks on Linux only")
def test_disk_full_in_a_worker_is_one_line(ncm, tmp_path, monkeypatch):
    for i in range(40):  # two chunks: both workers write
        write(tmp_path / "in" / f"p{i:02}.yaml", MINIMAL)

    def refuse(*_args: object, **_kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)  # the forked workers inherit it
    out = tmp_path / "out"
    result = ncm("report", str(tmp_path / "in"), "--format", "md", "-o", str(out), "--jobs", "2")
    assert result.exit_code == 1
    one_line_error(result.stderr, str(out), "no space left")


AUTOSAVE_FILLS_THE_DISK = """
import errno, os, sys
real = os.replace
def replace(src, dst, *args, **kw):
    with open(src, encoding="utf-8") as fh:
        if "Riverside Surgery" in fh.read():  # the autosave of this answer finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
    return real(src, dst, *args, **kw)
os.replace = replace
sys.argv[0] = "ncm"
from ncm_toolkit.launch import main
main()
"""


@posix_only
def test_interview_says_when_the_last_answer_could_not_be_saved(tmp_path):
    out = tmp_path / "a.yaml"
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "NCM_CACHE_DIR": "off"}
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"  # pexpect never answers a cursor-position request
    child = terminal_class()(
        sys.executable,
        ["-c", AUTOSAVE_FILLS_THE_DISK, "assess", "-o", str(out)],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )
    child.expect("partnership called")
    child.sendline("Riverside alliance")
    child.expect("Describe the partnership")
    child.sendline("")
    child.expect("Partner name")
    child.sendline("Riverside Surgery")
    child.expect("kind of organisation")
    child.send("\r")  # the partner is saved with its kind
    child.expect("Stopped. Your last answer could not be saved")
    child.expect(r"no\s+space\s+left")  # the message wraps where the temporary path is long
    child.expect("answers before it are in")
    child.expect("ncm assess --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "Traceback" not in (child.before or "") and "internal error" not in child.before
    assert "Riverside alliance" in out.read_text()


# -- 17: outputs follow the umask --------------------------------------------------------------


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_outputs_follow_the_umask(ncm, tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        assert ncm("score", str(PROFILE), "--format", "json", "-o", str(tmp_path / "s.json"))
        ncm("report", str(EXAMPLES), "--format", "html", "-o", str(tmp_path / "reports"))
    finally:
        os.umask(old)
    made = [tmp_path / "s.json", *(tmp_path / "reports").iterdir()]
    assert len(made) > 2
    assert {stat.S_IMODE(p.stat().st_mode) for p in made} == {mode}


# -- 18: report names do not move --------------------------------------------------------------


def test_report_names_depend_on_the_profile_alone(ncm, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    write(src / "north.yaml", MINIMAL.replace("Minimal partnership", "North original"))
    assert ncm("report", str(src), "--format", "md", "-o", str(out)).exit_code == 0
    assert (out / "north.md").is_file()
    # a profile whose name makes the same slug ("North" sorts first) takes a name of its own
    write(src / "North.yaml", MINIMAL.replace("Minimal partnership", "North newcomer"))
    result = ncm("report", str(src), "--format", "md", "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert "North original" in (out / "north.md").read_text()
    others = [p for p in out.iterdir() if p.name != "north.md"]
    assert len(others) == 1 and re.fullmatch(r"north-[0-9a-f]{8}\.md", others[0].name)
    assert "North newcomer" in others[0].read_text()
    # the same again, run from elsewhere in the batch: the same names
    again = ncm("report", str(src / "North.yaml"), str(src), "--format", "md", "-o", str(out))
    assert again.exit_code == 2  # they exist: nothing is overwritten without --force
    assert str(out / others[0].name) in again.stderr or str(out / "north.md") in again.stderr


def test_the_same_file_twice_is_written_once_under_its_own_name(ncm, tmp_path):
    profile = write(tmp_path / "in" / "east.yaml", MINIMAL)
    out = tmp_path / "out"
    result = ncm("report", str(profile), str(profile), "--format", "md", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out / 'east.md'}\n"
    assert [p.name for p in out.iterdir()] == ["east.md"]


# -- 19: dependency floors ---------------------------------------------------------------------


def test_the_lowest_versions_ci_installs_are_the_declared_floors():
    """.ci/run installs tests/constraints-lowest.txt and runs tests on it: each pin must be the
    floor that pyproject.toml declares, so that CI proves the floors users may get: every
    dependency's, and the test tools' whose floor the test run relies on (pytest-xdist)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors: dict[str, dict[str, str]] = {"dependencies": {}, "test": {}}
    test_deps = project["optional-dependencies"]["test"]
    for kind, deps in (("dependencies", project["dependencies"]), ("test", test_deps)):
        for dep in deps:
            m = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)(;.*)?", dep.replace(" ", ""))
            assert m, f"{dep}: every dependency needs a floor (>=)"
            floors[kind][m[1].lower()] = m[2]
    pins = {}
    for line in (ROOT / "tests" / "constraints-lowest.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    assert {k: v for k, v in pins.items() if k not in floors["test"]} == floors["dependencies"]
    assert pins["pytest-xdist"] == floors["test"]["pytest-xdist"]
    assert "--constraint tests/constraints-lowest.txt" in (ROOT / ".ci" / "run").read_text()
