"""Chapter 9: roles and permissions, checked on the server."""
import pytest
from flask import render_template_string

import depends
import pages
from accounts import add_user, login
from support import prepare_database

BOOK_PERMISSIONS = {'FOLLOW': 0x01, 'COMMENT': 0x02, 'WRITE_ARTICLES': 0x04,
                    'MODERATE_COMMENTS': 0x08, 'ADMINISTER': 0x80}
ROLES = {'User': (0x07, True), 'Moderator': (0x0f, False), 'Administrator': (0xff, False)}


def role_table(models, db):
    return {role.name: (role.permissions, role.default)
            for role in db.session.scalars(db.select(models.Role))}


@pytest.mark.steps('9a', touching=depends.ROLES)
def test_permissions_are_the_books_bits(models):
    assert {name: getattr(models.Permission, name) for name in BOOK_PERMISSIONS} == \
        BOOK_PERMISSIONS


@pytest.mark.steps('9a', touching=depends.ROLES)
def test_insert_roles_updates_and_never_duplicates(models, db, roles):
    assert role_table(models, db) == ROLES
    roles['User'].permissions, roles['Moderator'].default = 0, True
    db.session.commit()
    models.Role.insert_roles()
    models.Role.insert_roles()
    assert role_table(models, db) == ROLES


@pytest.mark.steps('9a', touching=depends.ROLES)
def test_new_users_get_the_default_role_and_the_admin_administrator(app, models, db, roles):
    app.config['FLASKY_ADMIN'] = 'Boss@Example.com'
    user = add_user(models, db)
    boss = add_user(models, db, email='boss@example.com', username='boss')
    assert user.role.name == 'User' and boss.role.name == 'Administrator'
    assert add_user(models, db, email=None, username='x', role=roles['Moderator']).role.name \
        == 'Moderator'  # a role given is kept


@pytest.mark.steps('9a', touching=depends.ROLES)
def test_without_flasky_admin_nobody_becomes_administrator(app, models, db, roles):
    app.config['FLASKY_ADMIN'] = None
    # no email: None is not None
    assert add_user(models, db, email=None, username='x').role.name == 'User'
    assert add_user(models, db).role.name == 'User'


@pytest.mark.steps('9a', touching=depends.ROLES)
def test_each_role_can_what_its_bits_say(models, db, roles):
    Permission = models.Permission
    users = {name: add_user(models, db, email=name + '@example.com', username=name,
                            role=role) for name, role in roles.items()}
    for name, user in users.items():
        for permission in BOOK_PERMISSIONS.values():
            assert user.can(permission) == bool(ROLES[name][0] & permission), (name, permission)
        assert user.is_administrator() == (name == 'Administrator')
    assert users['User'].can(Permission.FOLLOW | Permission.COMMENT)
    assert not users['User'].can(Permission.COMMENT | Permission.MODERATE_COMMENTS)
    anonymous = models.AnonymousUser()
    assert not any(anonymous.can(p) for p in BOOK_PERMISSIONS.values())
    assert not anonymous.is_administrator()


@pytest.mark.fresh_app  # it adds a route
@pytest.mark.steps('9a', touching=depends.ROLES)
def test_decorators_answer_403_for_anyone_without_the_permission(step_module, app, models, db,
                                                                 roles, client):
    decorators = step_module('app.decorators')
    Permission = models.Permission
    # two views of the test's own, guarded as the book's examples guard theirs
    app.add_url_rule('/test/moderate', 'moderate', decorators.permission_required(
        Permission.MODERATE_COMMENTS)(lambda: 'moderating'))
    app.add_url_rule('/test/admin', 'admin', decorators.admin_required(lambda: 'administering'))
    for name in roles:
        add_user(models, db, email=name.lower() + '@example.com', username=name,
                 role=roles[name])
    expected = {None: (403, 403), 'User': (403, 403), 'Moderator': (200, 403),
                'Administrator': (200, 200)}
    for name, statuses in expected.items():
        if name:
            login(client, email=name.lower() + '@example.com')
        answers = [client.get(path) for path in ('/test/moderate', '/test/admin')]
        assert tuple(r.status_code for r in answers) == statuses, name
        forbidden = [r for r in answers if r.status_code == 403]
        assert all(pages.headings(r) == ['Forbidden'] for r in forbidden)
        client.get('/auth/logout')


@pytest.mark.steps('9a', touching=depends.ROLES + ('manage.py#make_shell_context',))
def test_templates_and_the_shell_know_permission(step_module, app, models):
    with app.test_request_context('/'):
        app.preprocess_request()
        assert render_template_string('{{ Permission.WRITE_ARTICLES }}') == '4'
        assert render_template_string(
            '{{ current_user.can(Permission.FOLLOW) }}') == 'False'  # AnonymousUser
    assert step_module('manage').make_shell_context()['Permission'] is \
        step_module('app.models').Permission


# up to 16b: from 17a the deploy command inserts them (test_chapter17)
@pytest.mark.checkpoints('9a', '16b', chapter_ends=False)
def test_make_run_inserts_the_roles_once(step, tmp_path):
    """scripts/run prepares the database as the book does from 9a: `db upgrade`, then
    Role.insert_roles(); a second start changes nothing."""
    import sqlite3
    for _ in range(2):
        assert 'Role.insert_roles()' in prepare_database(step, tmp_path).stdout
    with sqlite3.connect(tmp_path / 'data.sqlite') as connection:
        rows = connection.execute('SELECT name, permissions, "default" FROM roles').fetchall()
    assert {name: (permissions, bool(default)) for name, permissions, default in rows} == ROLES


@pytest.mark.steps('9a', touching=depends.ROLES)
def test_a_role_from_before_the_permissions_can_nothing(models, db, roles, app):
    old = models.Role(name='Admin')  # as chapter 5's shell made it: no permissions column yet
    db.session.add(old)
    db.session.commit()
    db.session.execute(db.update(models.Role).where(models.Role.name == 'Admin')
                       .values(permissions=None))
    user = add_user(models, db, role=old)
    db.session.refresh(old)
    assert old.permissions is None and not user.can(models.Permission.FOLLOW)
    app.config['FLASKY_ADMIN'] = 'boss@example.com'
    assert add_user(models, db, email='Boss@Example.COM', username='boss').role.name == \
        'Administrator'
