"""scripts/doctor: one line per check, OK / WARN / FAIL with the fix; exit 1 only on a FAIL."""
import glob
import os
import platform
import re
import shutil
import socket
import subprocess
import sys

import pytest

from script_support import run_script
from support import free_port, steplib

CHECK = re.compile(r'^(OK|WARN|FAIL) +(python|venv|port \d+|chromium|curl|postgresql) +(.*)$')


def doctor(*args, python=sys.executable):
    result = subprocess.run([python, str(steplib.ROOT / 'scripts' / 'doctor'), *map(str, args)],
                            capture_output=True, text=True, timeout=60)
    assert 'Traceback' not in result.stderr
    checks = {}
    for line in result.stdout.splitlines():
        match = CHECK.match(line)
        if match:
            checks[match.group(2)] = (match.group(1), match.group(3))
    return result, checks


@pytest.fixture
def empty_dir(tmp_path):
    (tmp_path / 'empty').mkdir()
    return tmp_path / 'empty'


def test_one_line_per_check(empty_dir):
    port = free_port()
    result, checks = doctor('--ports', port, '--search-path', empty_dir)
    assert sorted(checks) == sorted(['python', 'venv', 'port {}'.format(port), 'chromium',
                                     'curl', 'postgresql'])
    assert checks['python'] == ('OK', 'Python {} ({})'.format(platform.python_version(),
                                                               sys.executable))
    assert checks['port {}'.format(port)][0] == 'OK'
    assert result.stdout.splitlines()[-1] == '{} OK, {} WARN, {} FAIL'.format(
        *(sum(s == status for s, _ in checks.values()) for status in ('OK', 'WARN', 'FAIL')))


def test_the_projects_venv_matches_requirements():
    """The suite itself runs from .venv, installed from requirements.txt by `make test`."""
    venv = steplib.ROOT / '.venv'
    result, checks = doctor('--venv', venv, '--ports', free_port())
    status, detail = checks['venv']
    assert status == 'OK' and 'matches requirements.txt' in detail, detail
    pins = sum(1 for line in (steplib.ROOT / 'requirements.txt').read_text().splitlines()
               if '==' in line and not line.lstrip().startswith('#'))
    assert '({} pins)'.format(pins) in detail
    assert result.returncode == 0, result.stdout


def test_default_ports_are_5000_and_8025():
    _, checks = doctor()
    assert 'port 5000' in checks and 'port 8025' in checks


def test_a_busy_port_is_a_warning_with_a_fix():
    with socket.socket() as held:
        held.bind(('127.0.0.1', 0))
        held.listen()
        busy, free = held.getsockname()[1], free_port()
        result, checks = doctor('--ports', busy, free)
    status, detail = checks['port {}'.format(busy)]
    assert status == 'WARN' and 'in use' in detail and 'fix: stop what listens there' in detail
    assert ':{}'.format(busy) in detail
    assert checks['port {}'.format(free)][0] == 'OK'
    assert result.returncode == 0  # a busy port is not a broken machine


def test_a_port_bound_but_not_listening_is_busy_too():
    with socket.socket() as held:
        held.bind(('127.0.0.1', 0))
        port = held.getsockname()[1]
        _, checks = doctor('--ports', port)
    assert checks['port {}'.format(port)][0] == 'WARN'


def test_a_missing_venv_fails_and_says_how_to_make_it(tmp_path):
    result, checks = doctor('--venv', tmp_path / 'no-venv', '--ports', free_port())
    status, detail = checks['venv']
    assert status == 'FAIL' and str(tmp_path / 'no-venv') in detail and 'make test' in detail
    assert result.returncode == 1


def test_an_empty_venv_names_the_missing_packages(tmp_path):
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(tmp_path / 'venv')],
                   check=True, timeout=60)
    result, checks = doctor('--venv', tmp_path / 'venv', '--ports', free_port())
    status, detail = checks['venv']
    assert status == 'FAIL' and 'Flask missing' in detail
    assert 'fix: {} -m pip install -r'.format(tmp_path / 'venv' / 'bin' / 'python') in detail
    assert result.returncode == 1


def test_missing_optional_programs_are_warnings_naming_the_tests(empty_dir):
    result, checks = doctor('--search-path', empty_dir, '--ports', free_port())
    status, detail = checks['chromium']
    assert status == 'WARN' and 'chromium and chromedriver not found' in detail
    assert 'apt-get install chromium chromium-driver' in detail
    browser_tests = sorted(glob.glob('tests/steps/test_browser*.py', root_dir=steplib.ROOT))
    if browser_tests:
        assert 'these tests skip without them: ' in detail
        assert all(name in detail for name in browser_tests)
    else:
        assert 'browser tests: none written yet' in detail
    status, detail = checks['curl']
    assert status == 'WARN' and 'not found' in detail and 'apt-get install curl' in detail
    status, detail = checks['postgresql']
    assert status == 'WARN' and 'initdb, pg_ctl, postgres not found' in detail
    assert 'apt-get install postgresql' in detail
    assert 'these tests skip without them: tests/steps/test_deployment.py' in detail
    assert result.returncode == 0 or checks['venv'][0] == 'FAIL'


def test_optional_programs_found_on_the_search_path(tmp_path):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    for name in ('chromium', 'chromedriver', 'curl', 'initdb', 'pg_ctl', 'postgres'):
        (bin_dir / name).write_text('#!/bin/sh\n')
        (bin_dir / name).chmod(0o755)
    _, checks = doctor('--search-path', bin_dir, '--ports', free_port())
    assert checks['chromium'][0] == 'OK' and str(bin_dir / 'chromedriver') in checks['chromium'][1]
    assert checks['postgresql'][0] == 'OK' and str(bin_dir / 'pg_ctl') in checks['postgresql'][1]
    assert checks['curl'] == ('OK', '{}; used by the API sessions of the notes '
                              '(tests/test_notes.py)'.format(bin_dir / 'curl'))


def old_python():
    """A Python older than 3.11 that really runs (a pyenv shim may only say it is not there)."""
    candidates = sorted(glob.glob(os.path.expanduser('~/.pyenv/versions/3.*/bin/python3')))
    candidates += [shutil.which('python3.{}'.format(minor)) for minor in range(10, 5, -1)]
    for python in filter(None, candidates):
        try:
            answer = subprocess.run([python, '-c', 'import sys; print(sys.version_info < (3, 11))'],
                                    capture_output=True, text=True, timeout=20).stdout
        except OSError:
            continue
        if answer.strip() == 'True':
            return python
    return None


def test_an_old_python_fails_with_a_clear_line():
    python = old_python()
    if python is None:
        pytest.skip('no Python older than 3.11 on this machine to try')
    result, checks = doctor('--ports', free_port(), python=python)
    status, detail = checks['python']
    assert status == 'FAIL' and 'is too old: 3.11 or newer is needed' in detail
    assert 'make test PYTHON=python3.12' in detail
    assert result.returncode == 1


def test_bad_port_is_a_usage_error():
    result, _ = doctor('--ports', 'http')
    assert result.returncode == 2 and "not a port number: 'http'" in result.stderr


def test_help():
    result = run_script('doctor', '--help')
    assert result.returncode == 0 and 'usage: scripts/doctor' in result.stdout
