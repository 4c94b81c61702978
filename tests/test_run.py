"""`make run` / scripts/run: step validation and database preparation."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from support import require, steplib

ROOT = steplib.ROOT


def test_make_run_with_unknown_step_lists_the_valid_names():
    result = subprocess.run(['make', '--no-print-directory', 'run', 'STEP=9z'], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "unknown step '9z'" in result.stderr
    assert ' '.join(steplib.names()) in result.stderr
    assert 'Traceback' not in result.stderr


def test_run_help():
    result = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'run'), '--help'],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and 'usage: scripts/run' in result.stdout


def port_5000_busy():
    with socket.socket() as s:
        return s.connect_ex(('127.0.0.1', 5000)) == 0


def test_make_run_serves_the_step_on_port_5000(tmp_path):
    """The README's command, for real: needs port 5000, which a learner may be using."""
    require(not port_5000_busy(), 'port 5000 is in use (a step still running?)')
    process = subprocess.Popen(['make', '--no-print-directory', 'run', 'STEP=2c'], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline, page = time.monotonic() + 60, None
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen('http://127.0.0.1:5000/', timeout=2) as r:
                    page = r.read().decode()
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.2)
        assert page == '<h1>Hello World!</h1>'
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
        # scripts/run then stops the server and the mail server, each given 5 s: on a
        # machine loaded by the other tests that may take a while, and leaving the server
        # behind would hold port 5000 after the suite
        process.wait(timeout=60)
    # the server ran in a session of its own: scripts/run must have stopped it
    deadline = time.monotonic() + 10
    while port_5000_busy() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not port_5000_busy(), 'the step still serves after Ctrl-C'
