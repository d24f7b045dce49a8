"""Atomic writes: all-or-nothing replacement, cleanup, typed errors, crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.errors import OutputError
from geo.outputs.atomic import atomic_path, atomic_write, check_output

ROOT = Path(__file__).resolve().parent.parent


def test_writes_text_and_leaves_no_temp_files(tmp_path):
    out = tmp_path / "a.txt"
    with atomic_write(out) as f:
        f.write("héllo\n")
    assert out.read_text(encoding="utf-8") == "héllo\n"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_writes_bytes(tmp_path):
    out = tmp_path / "a.bin"
    with atomic_write(out, "wb") as f:
        f.write(b"\x00\x01")
    assert out.read_bytes() == b"\x00\x01"


def test_exception_keeps_the_old_file_and_removes_the_temp(tmp_path):
    out = tmp_path / "a.txt"
    out.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(out) as f:
            f.write("new, half written")
            raise RuntimeError("boom")
    assert out.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_temp_file_is_hidden_in_the_same_folder(tmp_path):
    out = tmp_path / "a.txt"
    with atomic_write(out) as f:
        assert Path(f.name).parent == tmp_path
        assert Path(f.name).name.startswith(".a.txt.") and f.name.endswith(".tmp")
        assert not out.exists()


def test_missing_folder_is_an_output_error_naming_the_path(tmp_path):
    target = tmp_path / "missing" / "a.txt"
    with pytest.raises(OutputError, match="missing"):
        with atomic_write(target) as f:
            f.write("x")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_unwritable_folder_is_an_output_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            with atomic_write(folder / "a.txt") as f:
                f.write("x")
    finally:
        folder.chmod(0o700)


def test_folder_that_is_a_file_or_target_that_is_a_folder_are_output_errors(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError, match="plain"):
        with atomic_write(tmp_path / "plain" / "a.txt") as f:
            f.write("x")
    (tmp_path / "adir").mkdir()
    with pytest.raises(OutputError, match="adir"):
        with atomic_write(tmp_path / "adir") as f:
            f.write("x")
    assert sorted(os.listdir(tmp_path)) == ["adir", "plain"]


def test_new_file_gets_normal_permissions_and_replacement_keeps_them(tmp_path):
    out = tmp_path / "a.txt"
    with atomic_write(out) as f:
        f.write("x")
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()
    out.chmod(0o640)
    with atomic_write(out) as f:
        f.write("y")
    assert out.stat().st_mode & 0o777 == 0o640


def test_newline_argument_is_passed_through(tmp_path):
    out = tmp_path / "a.csv"
    with atomic_write(out, newline="") as f:
        f.write("a\r\nb\r\n")
    assert out.read_bytes() == b"a\r\nb\r\n"


def test_dash_writes_to_stdout(capsys):
    with atomic_write("-") as f:
        f.write("to stdout")
    assert capsys.readouterr().out == "to stdout"


def test_bad_mode_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        with atomic_write(tmp_path / "a", "a"):
            pass


def test_atomic_path_publishes_what_the_library_wrote(tmp_path):
    out = tmp_path / "db.gpkg"
    with atomic_path(out) as tmp:
        assert tmp.endswith("db.gpkg") and not os.path.exists(tmp) and Path(tmp).parent != tmp_path
        Path(tmp).write_bytes(b"data")
        Path(tmp + "-journal").write_bytes(b"side file")
    assert out.read_bytes() == b"data"
    assert os.listdir(tmp_path) == ["db.gpkg"]


def test_atomic_path_failure_keeps_old_file_and_cleans_up(tmp_path):
    out = tmp_path / "db.gpkg"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(out) as tmp:
            Path(tmp).write_bytes(b"partial")
            raise RuntimeError("driver failed")
    assert out.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["db.gpkg"]


def test_atomic_path_with_nothing_written_is_an_error(tmp_path):
    with pytest.raises(OutputError):
        with atomic_path(tmp_path / "x.gpkg"):
            pass
    assert os.listdir(tmp_path) == []


_WRITER = """
import sys, time
from geo.outputs.atomic import atomic_write
with atomic_write(sys.argv[1]) as f:
    for i in range(1_000_000):
        f.write("new line %d %s\\n" % (i, "x" * 200))
        if i == 1000:
            f.flush()
            print("writing", flush=True)
        if i % 20000 == 0:
            time.sleep(0.01)
"""


def test_sigkill_mid_write_leaves_the_old_file_intact(tmp_path):
    out = tmp_path / "big.txt"
    old = "old complete content\n" * 1000
    out.write_text(old)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(out)], stdout=subprocess.PIPE, env=env)
    try:
        assert proc.stdout.readline().strip() == b"writing"
        time.sleep(0.05)
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert temps and temps[0].stat().st_size > 0      # the kill really lands mid-write
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert out.read_text() == old


def test_completed_subprocess_write_replaces_whole_file(tmp_path):
    out = tmp_path / "big.txt"
    out.write_text("old\n")
    script = "import sys\nfrom geo.outputs.atomic import atomic_write\nwith atomic_write(sys.argv[1]) as f:\n" \
             "    f.writelines('line %d\\n' % i for i in range(100000))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, timeout=60)
    lines = out.read_text().splitlines()
    assert len(lines) == 100000 and lines[-1] == "line 99999"
    assert os.listdir(tmp_path) == ["big.txt"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("writer", [atomic_write, atomic_path], ids=["atomic_write", "atomic_path"])
def test_a_device_is_refused_and_never_replaced(tmp_path, writer):
    import stat

    with pytest.raises(OutputError, match="it is a device"):
        with writer(os.devnull):
            pytest.fail("the block ran")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("writer", [atomic_write, atomic_path], ids=["atomic_write", "atomic_path"])
def test_a_fifo_is_refused_without_being_opened(tmp_path, writer):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # Opening a FIFO with no reader would block this test for good; refusing it must not open it.
    with pytest.raises(OutputError, match="it is a FIFO"):
        with writer(fifo):
            pytest.fail("the block ran")
    assert fifo.is_fifo() and sorted(os.listdir(tmp_path)) == ["pipe"]


def test_a_socket_and_a_link_to_a_device_are_refused(tmp_path):
    import socket

    sock_path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(OutputError, match="it is a socket"):
            check_output(sock_path)
    link = tmp_path / "null.csv"
    link.symlink_to(os.devnull)
    with pytest.raises(OutputError, match="it is a device"):
        check_output(link)
    assert link.is_symlink()
    assert check_output("-") == "-" and check_output(tmp_path / "new.csv") == str(tmp_path / "new.csv")


def test_writing_through_a_symlink_updates_its_target(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    with atomic_write(link) as fh:
        fh.write("new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
