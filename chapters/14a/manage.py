#!/usr/bin/env python
import os
import sys
import unittest

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
def test():
    """Run the unit tests."""
    # tests/ beside this file, whatever the current folder
    tests = unittest.TestLoader().discover(os.path.join(os.path.dirname(__file__), 'tests'))
    result = unittest.TextTestRunner(verbosity=2).run(tests)
    # a failure must show in the exit status, for scripts and CI
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == '__main__':
    manager.run()
