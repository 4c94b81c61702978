"""Chapter 17: deployment. The deploy command (17a), the production configuration's error
mail (17b), a platform's configuration (17c) and a Unix server's (17d). The walk on a real
PostgreSQL under gunicorn is in test_deployment.py."""
import re
import sqlite3

import pytest
import werkzeug.security

import depends
from support import prepare_database, process_env, run_in_step

DEPLOY = ('manage.py#deploy', 'app/models.py#Role.insert_roles',
          'app/models.py#User.add_self_follows', 'migrations/') + depends.MANAGER


def rows(database, sql, *parameters):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchall()


# 17a: the deploy command ---------------------------------------------------------------------

@pytest.mark.steps('17a', touching=DEPLOY)
def test_deploy_makes_a_new_database_and_can_run_again_and_again(step, tmp_path):
    database = tmp_path / 'data.sqlite'  # DEV_DATABASE_URL of process_env
    env = process_env(tmp_path)
    first = run_in_step(step, tmp_path, 'manage.py', 'deploy', env=env)
    assert first.returncode == 0, first.stderr
    assert 'Running upgrade' in first.stderr  # Alembic's log: every migration, in order
    heads = rows(database, 'SELECT version_num FROM alembic_version')
    roles = rows(database, 'SELECT name, permissions, "default" FROM roles ORDER BY id')
    assert [name for name, _, _ in roles] == ['User', 'Moderator', 'Administrator']
    # a user of before 12e, who does not follow themselves, and a role changed by hand
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO users (email, username, confirmed) "
                           "VALUES ('old@example.com', 'old', 1)")
        connection.execute("UPDATE roles SET permissions = 0 WHERE name = 'Moderator'")
    second = run_in_step(step, tmp_path, 'manage.py', 'deploy', env=env)
    assert second.returncode == 0, second.stderr
    assert 'Running upgrade' not in second.stderr  # nothing left to upgrade
    assert rows(database, 'SELECT version_num FROM alembic_version') == heads
    assert rows(database, 'SELECT name, permissions, "default" FROM roles ORDER BY id') == roles
    assert rows(database, 'SELECT follower_id, followed_id FROM follows') == [(1, 1)]
    third = run_in_step(step, tmp_path, 'manage.py', 'deploy', env=env)
    assert third.returncode == 0, third.stderr
    assert rows(database, 'SELECT count(*) FROM follows') == [(1,)]
    assert rows(database, 'SELECT count(*) FROM roles') == [(3,)]


@pytest.mark.steps('17a', touching=DEPLOY + (
    'app/models.py#User.generate_fake', 'app/models.py#Post.generate_fake',
    'app/models.py#User.follow', 'app/models.py#Comment', 'app/models.py#User.verify_password'))
def test_make_run_gives_a_new_database_fake_data_and_an_administrator(step, tmp_path):
    said = prepare_database(step, tmp_path).stdout
    assert 'manage.py deploy' in said and 'scripts/seed' in said
    database = tmp_path / 'data.sqlite'
    counts = {table: rows(database, 'SELECT count(*) FROM ' + table)[0][0]
              for table in ('users', 'posts', 'follows', 'comments')}
    assert counts['users'] == 21 and counts['posts'] == 100 and counts['comments'] == 200
    assert counts['follows'] == 21 * 6  # five others and oneself
    login = re.search(r'sign in as (\S+) with the password (\S+) ', said)
    assert login, said
    [(password_hash, role)] = rows(
        database, 'SELECT password_hash, roles.name FROM users JOIN roles '
        'ON roles.id = users.role_id WHERE email = ?', login[1])
    assert role == 'Administrator'
    assert werkzeug.security.check_password_hash(password_hash, login[2])
    # an existing database is kept as it is: nothing seeded a second time
    again = prepare_database(step, tmp_path).stdout
    assert 'kept as it is' in again
    assert rows(database, 'SELECT count(*) FROM posts') == [(100,)]
