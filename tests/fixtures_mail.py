"""The `mailserver` fixture: scripts/mailserver, a real SMTP server, run for one test.

    def test_x(mailserver, monkeypatch):
        monkeypatch.setenv('MAIL_PORT', str(mailserver.port))
        ...
        [message] = mailserver.messages()
        assert message['Subject'].startswith('[Flasky]')

Registered in conftest.py through `pytest_plugins`.
"""
import email
import email.policy
import subprocess
import sys
import time

import pytest

from support import free_port, refused_port, steplib

MAILSERVER = steplib.ROOT / 'scripts' / 'mailserver'


class MailServer:
    """scripts/mailserver on a free port, keeping its mail in a folder of the test's own."""

    host = '127.0.0.1'

    def __init__(self, folder):
        self.folder = folder
        self.log = folder.parent / '{}.log'.format(folder.name)
        self.process = None

    def start(self, timeout=20, tries=3):
        for attempt in range(tries):  # another test may take the free port first
            self.port = free_port()
            with open(self.log, 'wb') as log:
                self.process = subprocess.Popen(
                    [sys.executable, str(MAILSERVER), '--host', self.host, '--port',
                     str(self.port), '--dir', str(self.folder)], stdout=log,
                    stderr=subprocess.STDOUT)
            deadline = time.monotonic() + timeout
            while 'listening on' not in self.output():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    if 'already in use' in self.output():
                        break
                    raise AssertionError('scripts/mailserver did not start:\n' + self.output())
                time.sleep(0.05)
            else:
                return self
        raise AssertionError('scripts/mailserver found no free port:\n' + self.output())

    def output(self):
        return self.log.read_text(errors='replace')

    def files(self):
        return sorted(self.folder.glob('*.eml'))

    def messages(self, count=1, timeout=10):
        """The messages received, parsed; waits up to `timeout` seconds for `count` of them
        (mail sent from a background thread arrives a little after the request)."""
        deadline = time.monotonic() + timeout
        while len(self.files()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in self.files()]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def mailserver(tmp_path):
    """A running scripts/mailserver: .port, .messages(), .output()."""
    server = MailServer(tmp_path / 'mail').start()
    yield server
    server.stop()


@pytest.fixture
def dead_mail_port(monkeypatch):
    """MAIL_PORT names a port where connections are refused, as with no mail server."""
    with refused_port() as port:
        monkeypatch.setenv('MAIL_PORT', str(port))
        yield port
