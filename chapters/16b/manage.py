#!/usr/bin/env python
import os
import subprocess
import sys
import unittest

# Coverage has to be measuring before the app package is imported, or every line that runs
# on import (each def, class and decorator) would count as never run: `test --coverage`
# starts this script again with FLASK_COVERAGE set, and measuring starts here, first thing.
COV = None
if os.environ.get('FLASK_COVERAGE'):
    import coverage
    COV = coverage.Coverage(branch=True, data_file=None, source=[
        os.path.join(os.path.dirname(os.path.abspath(__file__)), 'app')])
    COV.start()

import flask_migrate.cli
from flask_migrate import Migrate
from flask_script_ng import Command, Manager, Shell

from app import create_app, db
from app.models import Comment, Follow, Permission, Post, Role, User

app = create_app(os.getenv('FLASK_CONFIG') or 'default')
manager = Manager(app)
migrate = Migrate(app, db)


def make_shell_context():
    # what `python manage.py shell` starts with, so nothing needs importing there
    return dict(app=app, db=db, User=User, Role=Role, Permission=Permission, Post=Post,
                Follow=Follow, Comment=Comment)


manager.add_command('shell', Shell(make_context=make_shell_context))


class MigrateCommand(Command):
    """Perform database migrations (db init, migrate, upgrade, downgrade, ...)"""
    # Flask-Migrate dropped its Flask-Script command: take every argument after `db`,
    # --help included, and hand them to Flask-Migrate's own click commands
    capture_all_args = True
    help_args = ()

    def __call__(self, app, args):
        with app.app_context():
            return flask_migrate.cli.db.main(args=args, prog_name='python manage.py db')


manager.add_command('db', MigrateCommand)


@manager.command
def test(coverage=False):
    """Run the unit tests."""
    if coverage and not os.environ.get('FLASK_COVERAGE'):
        # the same command in a new process, measured from its first line (the book replaced
        # this process with os.execvp; a child process works the same on every system)
        env = dict(os.environ, FLASK_COVERAGE='1')
        sys.exit(subprocess.call([sys.executable] + sys.argv, env=env))
    basedir = os.path.abspath(os.path.dirname(__file__))
    # tests/ beside this file, whatever the current folder
    tests = unittest.TestLoader().discover(os.path.join(basedir, 'tests'))
    result = unittest.TextTestRunner(verbosity=2).run(tests)
    if COV:
        COV.stop()
        print('Coverage Summary:')
        COV.report()
        covdir = os.path.join(basedir, 'tmp', 'coverage')
        COV.html_report(directory=covdir)
        print('HTML version: file://%s/index.html' % covdir)
    # a failure must show in the exit status, for scripts and CI
    sys.exit(0 if result.wasSuccessful() else 1)


@manager.option('-l', '--length', type=int, default=25,
                help='how many of the slowest functions to print for each request '
                     '(default 25)')
@manager.option('-d', '--profile-dir', dest='profile_dir', default=None,
                help='a folder to also write each request\'s profile to, as a .prof file')
def profile(length, profile_dir):
    """Start the application under the code profiler."""
    # Werkzeug's profiler wraps the WSGI application: each request runs under cProfile, and
    # its slowest functions are printed when it ends (werkzeug.contrib in the book is gone)
    from werkzeug.middleware.profiler import ProfilerMiddleware
    if profile_dir:
        os.makedirs(profile_dir, exist_ok=True)
    app.wsgi_app = ProfilerMiddleware(app.wsgi_app, restrictions=[length],
                                      profile_dir=profile_dir)
    # no debugger and no reloader: the profile is of the application, not of them
    app.run(debug=False)


if __name__ == '__main__':
    manager.run()
