"""Chapter 5: Flask-SQLAlchemy models, the database in views, the shell context, migrations."""
import logging
import sqlite3

import flask_migrate
import pytest
import sqlalchemy.exc
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import depends
import pages
from support import folder_state, prepare_database, process_env, run_in_step

MAIL_VARIABLES = ('FLASKY_ADMIN', 'MAIL_SERVER', 'MAIL_PORT', 'MAIL_USERNAME', 'MAIL_PASSWORD')


@pytest.fixture(autouse=True)
def no_mail(monkeypatch):
    """From 6a a new name mails FLASKY_ADMIN: keep the tester's own settings out of it."""
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def models(step, step_module):
    """The module that holds the models: hello.py, from 7a app/models.py."""
    return step_module('app.models' if (step.path / 'app').is_dir() else 'hello')


def environment(tmp_path, **extra):
    env = process_env(tmp_path, **extra)
    for name in MAIL_VARIABLES:
        env.pop(name, None)
    return env


def command(step, tmp_path, *args, env=None, input=''):
    """`python hello.py ARGS` (from 7a manage.py) in the step's folder, databases in tmp_path."""
    return run_in_step(step, tmp_path, step.script, *args, input=input,
                       env=env or environment(tmp_path), timeout=120)


def prepare(step, tmp_path):
    """`make run`'s preparation of the step's database, without the mail settings."""
    return prepare_database(step, tmp_path, environment(tmp_path))


def tables(tmp_path, name='data.sqlite'):
    with sqlite3.connect(tmp_path / name) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}


def paragraphs(response):
    return pages.texts(response.get_data(as_text=True), 'p')


headings = pages.headings


# 5a: the models -------------------------------------------------------------------------

@pytest.mark.steps('5a', '6b')
def test_database_url_comes_from_the_environment(app, tmp_path):
    assert app.config['SQLALCHEMY_DATABASE_URI'] == 'sqlite:///{}'.format(tmp_path / 'data.sqlite')


@pytest.mark.steps('5a', '6b')
def test_database_defaults_to_data_sqlite_beside_hello_py(step, step_module, monkeypatch):
    monkeypatch.delenv('DATABASE_URL')
    before = folder_state(step.path)  # a learner's data.sqlite may be there: it stays as is
    hello = step_module('hello')
    assert hello.app.config['SQLALCHEMY_DATABASE_URI'] == 'sqlite:///{}'.format(
        step.path / 'data.sqlite')
    assert folder_state(step.path) == before  # importing the step creates nothing


@pytest.mark.steps('5a', touching=depends.MODELS)
def test_roles_and_users_are_related_both_ways(step, step_module, db):
    m = models(step, step_module)
    admin, user = m.Role(name='Admin'), m.Role(name='User')
    john, susan, david = (m.User(username='john', role=admin), m.User(username='susan', role=user),
                          m.User(username='david', role=user))
    db.session.add_all([admin, user, john, susan, david])
    db.session.commit()
    assert repr(admin) == "<Role 'Admin'>" and repr(john) == "<User 'john'>"
    assert susan.role is user and john.role_id == admin.id
    # lazy='dynamic': Role.users is a query that can be refined before it runs
    assert user.users.count() == 2
    assert [u.username for u in user.users.order_by(m.User.username)] == ['david', 'susan']
    assert m.User.query.filter_by(role=admin).all() == [john]
    assert db.session.get(m.User, john.id) is john


@pytest.mark.steps('5a', touching=depends.MODELS)
def test_tables_names_and_constraints(step, step_module, db):
    m = models(step, step_module)
    assert (m.Role.__tablename__, m.User.__tablename__) == ('roles', 'users')
    inspector = sqlalchemy.inspect(db.engine)
    indexes = {i['name']: i for i in inspector.get_indexes('users')}
    assert indexes['ix_users_username']['column_names'] == ['username']
    assert indexes['ix_users_username']['unique']
    [foreign_key] = inspector.get_foreign_keys('users')
    assert (foreign_key['constrained_columns'], foreign_key['referred_table']) == (['role_id'],
                                                                                   'roles')


@pytest.mark.steps('5a', touching=depends.MODELS)
def test_usernames_and_role_names_are_unique(step, step_module, db):
    m = models(step, step_module)
    for model, field in ((m.User, 'username'), (m.Role, 'name')):
        db.session.add_all([model(**{field: 'same'}), model(**{field: 'same'})])
        with pytest.raises(sqlalchemy.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.steps('5b', '8b')
def test_a_name_posted_to_an_unknown_url_is_404_and_not_stored(step, step_module, client, db):
    m = models(step, step_module)
    response = client.post('/no/such/page', data={'name': 'Dave'})
    assert response.status_code == 404
    assert headings(response) == ['Not Found']
    assert m.User.query.count() == 0


# where the preparation or the script changes (mail has nothing to do with it), up to 16b:
# from 17a the deploy command prepares, tested to keep what it finds (test_chapter17) and to
# upgrade a learner's database of 9a (test_chapter11, on the newest step)
@pytest.mark.checkpoints('5a', '16b', chapter_ends=False, starts=('serve', 'database'))
def test_make_run_prepares_the_database_and_keeps_its_data(step, tmp_path):
    """`make run` prepares the database before serving, every time: data must survive."""
    prepare(step, tmp_path)
    assert {'roles', 'users'} <= tables(tmp_path)
    users = 'SELECT username FROM users ORDER BY id'
    with sqlite3.connect(tmp_path / 'data.sqlite') as connection:
        # none, or from 17a the fake users that a new database is given
        before = connection.execute(users).fetchall()
        connection.execute("INSERT INTO users (username) VALUES ('survivor')")
    prepare(step, tmp_path)
    with sqlite3.connect(tmp_path / 'data.sqlite') as connection:
        assert connection.execute(users).fetchall() == before + [('survivor',)]


# 5b: the database in the view -----------------------------------------------------------

@pytest.mark.steps('5b', '8b')
def test_new_name_is_stored_then_known(step, step_module, client, db):
    m = models(step, step_module)
    response = client.post('/', data={'name': 'Dave'}, follow_redirects=True)
    assert headings(response) == ['Hello, Dave!']
    assert 'Pleased to meet you!' in paragraphs(response)
    # the requests here share the test's app context, and with it its session: start a new
    # session, so that only what the view committed is found
    db.session.remove()
    assert [u.username for u in m.User.query.all()] == ['Dave']
    response = client.post('/', data={'name': 'Dave'}, follow_redirects=True)
    assert 'Happy to see you again!' in paragraphs(response)
    assert 'Pleased to meet you!' not in paragraphs(response)
    assert m.User.query.count() == 1


@pytest.mark.steps('5b', '8b')
def test_post_redirects_and_known_is_kept_in_the_session(client, db):
    response = client.post('/', data={'name': 'Dave'})
    assert response.status_code == 302 and response.location == '/'
    with client.session_transaction() as session:
        assert (session['name'], session['known']) == ('Dave', False)


@pytest.mark.steps('5b', '8b')
def test_a_stranger_is_greeted_before_any_name(client, db):
    response = client.get('/')
    assert headings(response) == ['Hello, Stranger!']


@pytest.mark.steps('5b', '8b')
@pytest.mark.parametrize('name, error', [('', 'This field is required.'),
                                         ('   ', 'This field is required.'),
                                         ('x' * 65, 'Field cannot be longer than 64 characters.')])
def test_bad_names_are_refused_with_a_message_and_nothing_stored(step, step_module, client, db,
                                                                name, error):
    m = models(step, step_module)
    response = client.post('/', data={'name': name})
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    assert m.User.query.count() == 0


@pytest.mark.steps('5b', '8b')
def test_longest_allowed_name_is_stored(step, step_module, client, db):
    m = models(step, step_module)
    assert client.post('/', data={'name': 'x' * 64}).status_code == 302
    assert m.User.query.one().username == 'x' * 64


@pytest.mark.steps('5b', '8b')
def test_post_without_csrf_token_stores_nothing(step, step_module, app, db):
    m = models(step, step_module)
    app.config['WTF_CSRF_ENABLED'] = True
    response = app.test_client().post('/', data={'name': 'Mallory'})
    assert response.status_code == 200
    assert headings(response) == ['Hello, Stranger!']
    page = response.get_data(as_text=True)
    assert 'The CSRF token is missing.' in pages.texts(page, 'p', class_='error')
    assert m.User.query.count() == 0


@pytest.mark.checkpoints('5b', '5d')
def test_names_survive_a_server_restart(step, tmp_path, serve, http):
    """The book's 5b relied on SQLALCHEMY_COMMIT_ON_TEARDOWN, which today's Flask-SQLAlchemy
    ignores: without an explicit commit every name would be forgotten. From 6a the served
    test of chapter 6 restarts the server too, with mail."""
    prepare(step, tmp_path)
    for expected in ('Pleased to meet you!', 'Happy to see you again!'):
        server = serve()
        session = http(server.url)  # a new browser each time: no session cookie to help
        token = pages.hidden_value(session.get('/').text)
        page = session.post('/', {'name': 'Dave', 'csrf_token': token}).text
        assert pages.texts(page, 'h1') == ['Hello, Dave!'], server.output()
        assert expected in pages.texts(page, 'p'), server.output()
        server.stop()


# 5c: the shell context ------------------------------------------------------------------

def script(step, step_module):
    """The step's script as a module: hello.py, from 7a manage.py."""
    return step_module(step.script[:-len('.py')])


@pytest.mark.steps('5c', touching=depends.STARTUP)
def test_shell_context_has_app_db_and_models(step, step_module):
    manager = script(step, step_module).manager
    with manager.app.app_context():
        context = manager._commands['shell'].get_context()
        m = models(step, step_module)
        assert context['app'] is manager.app and context['db'] is m.db
        assert (context['User'], context['Role']) == (m.User, m.Role)


# where the script that defines the shell is new: hello.py here, manage.py from 7a (the
# names in the shell's context are checked in-process on every step that changes them)
@pytest.mark.checkpoints('5c', chapter_ends=False, starts=False, touching=depends.MANAGER)
def test_shell_has_app_db_and_models_without_imports(step, tmp_path):
    commands = ("db.create_all()\n"
                "db.session.add(Role(name='Admin')); db.session.commit()\n"
                "print('found', Role.query.all(), User.__tablename__, type(app).__name__)\n")
    result = command(step, tmp_path, 'shell', input=commands)
    assert result.returncode == 0, result.stderr
    assert "found [<Role 'Admin'>] users Flask" in result.stdout, result.stdout


# 5d: migrations -------------------------------------------------------------------------

@pytest.mark.steps('5d', touching=depends.STARTUP)
def test_db_command_lists_the_migration_commands(step, step_module, capsys):
    with pytest.raises(SystemExit) as exit:
        script(step, step_module).manager.handle(step.script, ['db', '--help'])
    assert exit.value.code == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.split('Commands:')[1]
              .splitlines() if line.strip()}
    assert {'init', 'migrate', 'upgrade', 'downgrade', 'history', 'current'} <= listed


@pytest.fixture
def logging_kept():
    """Alembic's env.py configures logging from alembic.ini, which disables every logger that
    exists (the steps' app loggers among them): put it all back after the test."""
    manager = logging.root.manager
    saved = {name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
             for name, logger in manager.loggerDict.items() if isinstance(logger, logging.Logger)}
    root = (logging.root.level, list(logging.root.handlers))
    yield
    for name, (disabled, level, handlers, propagate) in saved.items():
        logger = manager.loggerDict[name]
        logger.disabled, logger.level, logger.propagate = disabled, level, propagate
        logger.handlers[:] = handlers
    logging.root.level, logging.root.handlers[:] = root[0], root[1]


@pytest.mark.steps('5d', touching=depends.MIGRATIONS)
def test_migrations_round_trip_and_match_the_models(step, step_module, logging_kept):
    """In-process, on every step: upgrade builds exactly the models (autogenerate finds
    nothing to add), downgrade to base removes every table, upgrade builds them again."""
    app = script(step, step_module).app  # the app the step's `db` command works on
    folder = str(step.path / 'migrations')
    database = app.extensions['sqlalchemy']

    def table_names():
        with database.engine.connect() as connection:
            return set(sqlalchemy.inspect(connection).get_table_names())

    with app.app_context():
        flask_migrate.upgrade(directory=folder)
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={'compare_type': True})
            assert compare_metadata(context, database.metadata) == []
        assert set(database.metadata.tables) | {'alembic_version'} == table_names()
        flask_migrate.downgrade(directory=folder, revision='base')
        assert table_names() == {'alembic_version'}
        flask_migrate.upgrade(directory=folder)
        assert set(database.metadata.tables) <= table_names()
        database.engine.dispose()


@pytest.mark.checkpoints('5d', chapter_ends=False, starts=False,
                         touching=('manage.py#MigrateCommand',))
def test_upgrade_downgrade_round_trip(step, tmp_path):
    """The same through the book's commands, where the script that defines them is new (and
    every checkpoint's served test prepares its database with `db upgrade`)."""
    def run(*args):
        result = command(step, tmp_path, 'db', *args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    def revision():
        with sqlite3.connect(tmp_path / 'data.sqlite') as connection:
            return connection.execute('SELECT version_num FROM alembic_version').fetchall()

    run('upgrade')
    assert {'roles', 'users', 'alembic_version'} <= tables(tmp_path)
    [(head,)] = revision()
    assert '{} (head)'.format(head) in run('current')
    history = run('history')
    assert '<base> -> ' in history and 'initial migration' in history and head in history
    run('downgrade', 'base')
    assert tables(tmp_path) == {'alembic_version'} and revision() == []
    run('upgrade')
    assert {'roles', 'users'} <= tables(tmp_path) and revision() == [(head,)]


@pytest.mark.checkpoints('5d', chapter_ends=False, starts=False,
                         touching=('manage.py#MigrateCommand',))
def test_bad_migration_commands_get_one_clear_line(step, tmp_path):
    unknown_revision = command(step, tmp_path, 'db', 'upgrade', 'nosuchrevision')
    assert unknown_revision.returncode == 1
    assert "Can't locate revision identified by 'nosuchrevision'" in unknown_revision.stderr
    unknown_command = command(step, tmp_path, 'db', 'frobnicate')
    assert unknown_command.returncode == 2
    assert "No such command 'frobnicate'" in unknown_command.stderr
    for result in (unknown_revision, unknown_command):
        assert 'Traceback' not in result.stdout + result.stderr
