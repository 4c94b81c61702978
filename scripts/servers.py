"""Real servers for a step, started and stopped by the tests and scripts/bench: a throw-away
PostgreSQL cluster, and gunicorn serving a step. Standard library only (psycopg is the
step's, used only to create a database)."""
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import steplib

# Debian keeps initdb and pg_ctl out of PATH, in /usr/lib/postgresql/<version>/bin
POSTGRESQL_BIN_GLOB = '/usr/lib/postgresql/*/bin'
MISSING_POSTGRESQL = ('PostgreSQL is not installed: initdb and pg_ctl were not found in PATH '
                      'or {} (Debian: apt-get install postgresql)'.format(POSTGRESQL_BIN_GLOB))


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def postgresql_bin():
    """The folder of initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which('initdb')
    if found and shutil.which('pg_ctl'):
        return Path(found).resolve().parent
    folders = sorted(glob.glob(POSTGRESQL_BIN_GLOB),
                     key=lambda path: int(Path(path).parent.name.split('.')[0]))
    for folder in reversed(folders):
        if (Path(folder) / 'initdb').exists() and (Path(folder) / 'pg_ctl').exists():
            return Path(folder)
    return None


class PostgreSQL:
    """A PostgreSQL server of its own: a new cluster in a temporary folder, on a free port of
    127.0.0.1, with one user (flasky) that needs no password; nothing of the system's own
    server is used. PostgreSQL will not run as root: as root, the cluster belongs to the
    'postgres' user that Debian's package creates."""

    user = 'flasky'

    def __init__(self):
        self.bin = postgresql_bin()
        if self.bin is None:
            raise steplib.UsageError(MISSING_POSTGRESQL)
        self.folder = Path(tempfile.mkdtemp(prefix='flasky-postgresql-'))
        self.data, self.log = self.folder / 'data', self.folder / 'server.log'
        self.owner = None
        if os.geteuid() == 0:
            import pwd
            try:
                self.owner = pwd.getpwnam('postgres')
            except KeyError:
                raise steplib.UsageError('running as root, and there is no user postgres to '
                                         'run PostgreSQL as') from None
            os.chown(self.folder, self.owner.pw_uid, self.owner.pw_gid)
        self.port = None

    def _run(self, *argv, timeout=60):
        user = self.owner.pw_name if self.owner else None
        result = subprocess.run([str(self.bin / argv[0]), *argv[1:]], capture_output=True,
                                text=True, timeout=timeout, user=user, cwd=self.folder)
        if result.returncode != 0:
            raise RuntimeError('{} failed ({}):\n{}{}'.format(
                argv[0], result.returncode, result.stdout, result.stderr))
        return result

    def start(self, tries=3):
        # no fsync: the data is thrown away, and a test need not wait for the disk
        self._run('initdb', '-D', str(self.data), '-U', self.user, '--auth=trust',
                  '--encoding=UTF8', '--no-sync', '--no-instructions')
        for attempt in range(tries):  # another process may take the free port first
            self.port = free_port()
            options = ('-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off '
                       '-c synchronous_commit=off -c full_page_writes=off'.format(
                           self.port, self.folder))
            try:
                self._run('pg_ctl', '-D', str(self.data), '-o', options, '-l', str(self.log),
                          '-w', '-t', '30', 'start')
                return self
            except RuntimeError:
                if attempt == tries - 1 or 'already in use' not in self.output():
                    raise RuntimeError('PostgreSQL did not start:\n' + self.output())

    def output(self):
        return self.log.read_text(errors='replace') if self.log.exists() else ''

    def url(self, database, scheme='postgresql'):
        return '{}://{}@127.0.0.1:{}/{}'.format(scheme, self.user, self.port, database)

    def create_database(self, name):
        """A new, empty database; its URL (postgresql://, as a platform hands it out)."""
        import psycopg
        with psycopg.connect(self.url('postgres'), autocommit=True) as connection:
            connection.execute('CREATE DATABASE "{}"'.format(name))
        return self.url(name)

    def stop(self):
        if self.port is not None and self.data.exists():
            try:
                self._run('pg_ctl', '-D', str(self.data), '-m', 'immediate', '-w', 'stop')
            except RuntimeError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Gunicorn:
    """gunicorn serving a step's manage:app (or the given argv after `gunicorn`) on a free
    port of 127.0.0.1, with its output in a log file."""

    def __init__(self, folder, env, log, argv=('manage:app',), workers=2):
        self.folder, self.env, self.log = Path(folder), dict(env), Path(log)
        self.argv, self.workers = list(argv), workers
        self.process = None

    def start(self, timeout=60, tries=3):
        for attempt in range(tries):
            self.port = free_port()
            self.url = 'http://127.0.0.1:{}'.format(self.port)
            # the bind and workers as a platform gives them: PORT and WEB_CONCURRENCY
            env = dict(self.env, PORT=str(self.port), WEB_CONCURRENCY=str(self.workers))
            # no control socket: by default each gunicorn opens the same one in ~/.gunicorn
            with open(self.log, 'ab') as log:
                self.process = subprocess.Popen(
                    [sys.executable, '-m', 'gunicorn', '--bind', '127.0.0.1:{}'.format(self.port),
                     '--no-control-socket', *self.argv], cwd=self.folder, env=env, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait(timeout):
                return self
        raise RuntimeError('gunicorn found no free port:\n' + self.output())

    def _wait(self, timeout):
        """True once every worker has loaded the application and answers; False when the
        port was taken."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if 'Connection in use' in self.output():
                    return False
                raise RuntimeError('gunicorn exited with {}:\n{}'.format(
                    self.process.returncode, self.output()))
            if self.output().count('Booting worker') >= self.workers:
                with socket.socket() as s:
                    if s.connect_ex(('127.0.0.1', self.port)) == 0:
                        return True
            time.sleep(0.05)
        self.stop()
        raise RuntimeError('gunicorn did not answer within {} s:\n{}'.format(
            timeout, self.output()))

    def output(self):
        return self.log.read_text(errors='replace') if self.log.exists() else ''

    def stop(self):
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
