"""Every file-system problem of ``export``, ``brief`` and ``scores`` is one line ``error: …`` and exit status 2:
no traceback, no output file, no temporary file left.

Output: a folder, a path under a file, a read-only folder (and a missing folder that cannot be made in it),
a full disk (``fsync`` failing with ENOSPC; and a real EFBIG from the kernel under ``RLIMIT_FSIZE``).
Input: ``--answers`` / ``--framework`` at a folder, a device, a missing or an unreadable file.

Permission tests run the real command line in a process of its own; when the tests run as root, that process
has lost the capabilities that let root ignore file permissions (``setpriv``), so it meets a read-only folder
and a 000 file as any user does. Rendering is replaced by a stand-in where the test is about the file (no
Chromium needed).
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import EXIT_BAD_INPUT, files, main

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = "region_id,indicator_id,value\nPT20,health.strategy,100\nPT20,health.measures,50\n"

#: the command line of each command, up to ``--out``; and the file name it writes
COMMANDS = {
    "export": (["export", "--chart", "radar", "--region", "PT20", "--format", "png"], "chart.png"),
    "brief": (["brief", "--region", "PT20"], "brief.pdf"),
    "scores": (["scores", "--answers", "{answers}"], "scores.csv"),
}


def _argv(command: str, out: Path | str, answers: Path) -> list[str]:
    args, _ = COMMANDS[command]
    return [a.replace("{answers}", str(answers)) for a in args] + ["--out", str(out)]


@pytest.fixture
def answers(tmp_path) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


@pytest.fixture
def fake_render(monkeypatch):
    """Charts and briefs as a few bytes (the file handling is under test, not Chromium)."""
    from dashboard.export import brief, images

    monkeypatch.setattr(images, "chart_export", lambda *a, **k: (b"\x89PNG\r\n\x1a\n" + b"0" * 4096, "x.png"))
    monkeypatch.setattr(brief, "brief_pdf", lambda *a, **k: b"%PDF-1.7\n" + b"0" * 4096)


def _one_line_error(code: int, err: str, *words: str) -> None:
    assert code == EXIT_BAD_INPUT, (code, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


def _run(argv, capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


# ---------------------------------------------------------------------------------------------
# output paths
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", COMMANDS)
def test_out_at_a_folder(tmp_path, capsys, answers, command):
    folder = tmp_path / "out"
    folder.mkdir()
    code, err = _run(_argv(command, folder, answers), capsys)
    _one_line_error(code, err, str(folder), "is a folder")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_out_under_a_file_cannot_be_made(tmp_path, capsys, answers, command):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    out = blocker / "sub" / COMMANDS[command][1]
    code, err = _run(_argv(command, out, answers), capsys)
    _one_line_error(code, err, "notes.txt is a file, not a folder")
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_folder_that_can_be_made_is_made(tmp_path, capsys, answers, fake_render, command):
    out = tmp_path / "new" / "deeper" / COMMANDS[command][1]
    code, err = _run(_argv(command, out, answers), capsys)
    assert code == 0, err
    assert out.is_file() and out.stat().st_size > 0
    assert _files(tmp_path / "new") == sorted(["deeper", out.name]), "no temporary or probe file left"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, capsys, answers, fake_render, monkeypatch, command):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / COMMANDS[command][1]
    out.write_bytes(b"the previous file")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, err = _run(_argv(command, out, answers), capsys)
    _one_line_error(code, err, str(out), "No space left on device")
    assert out.read_bytes() == b"the previous file", "the old file is untouched"
    assert _files(out_dir) == [out.name], "no temporary file left"


def test_a_real_file_size_limit_from_the_kernel(tmp_path):
    """EFBIG from the kernel itself (``RLIMIT_FSIZE``), not a stand-in: one OutputError, nothing left behind."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of a signal
    out = tmp_path / "big.bin"
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
        with pytest.raises(files.OutputError, match="File too large"):
            files.write_bytes(out, b"x" * (1024 * 1024))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# input files
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--answers", "--framework"])
def test_inputs_that_are_no_file(tmp_path, capsys, answers, option):
    out = tmp_path / "scores.csv"
    base = ["scores", "--answers", str(answers), "--out", str(out)]
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for bad, words in [(folder, ("a-folder", "is a folder")), ("/dev/zero", ("/dev/zero", "not a regular file")),
                       (tmp_path / "gone.csv", ("gone.csv", "not found"))]:
        argv = [*base, option, str(bad)] if option == "--framework" else \
            ["scores", "--answers", str(bad), "--out", str(out)]
        code, err = _run(argv, capsys)
        _one_line_error(code, err, *words)
        assert not out.exists()


# ---------------------------------------------------------------------------------------------
# permissions, as a user who cannot override them
# ---------------------------------------------------------------------------------------------

def _as_user(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``python -m dashboard …`` in a process that obeys file permissions (root: without CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH, dropped from the bounding set by ``setpriv`` before the exec)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.skip("running as root without setpriv (util-linux): cannot drop the permission override")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([*prefix, sys.executable, "-m", "dashboard", *argv], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
def test_out_in_a_read_only_folder(tmp_path, answers, command):
    ro = tmp_path / "read-only"
    ro.mkdir()
    ro.chmod(0o555)
    name = COMMANDS[command][1]
    try:
        for out, words in [(ro / name, ("read-only", "Permission denied")),
                           (ro / "sub" / name, ("cannot create a folder in", "Permission denied"))]:
            proc = _as_user(_argv(command, out, answers), tmp_path)
            _one_line_error(proc.returncode, proc.stderr, str(out), *words)
            assert list(ro.iterdir()) == [], "nothing written"
    finally:
        ro.chmod(0o755)


@pytest.mark.parametrize("option", ["--answers", "--framework"])
def test_an_unreadable_input(tmp_path, answers, option):
    secret = tmp_path / "secret.csv"
    secret.write_text(ANSWERS, encoding="utf-8")
    secret.chmod(0)
    out = tmp_path / "scores.csv"
    argv = ["scores", "--answers", str(answers), "--framework", str(secret)] if option == "--framework" else \
        ["scores", "--answers", str(secret)]
    proc = _as_user([*argv, "--out", str(out)], tmp_path)
    _one_line_error(proc.returncode, proc.stderr, "secret.csv", "Permission denied")
    assert not out.exists()
    assert stat.S_IMODE(secret.stat().st_mode) == 0
