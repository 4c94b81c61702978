"""Accounts for the step tests from chapter 8 on: users made directly in the database, logging
in through the step's own login page, the mail the step sends, and (chapter 11 on) the posts
users write."""
import contextlib

import pytest

import pages

PASSWORD = 'cat'


def add_user(models, db, email='john@example.com', username='john', password=PASSWORD,
             **columns):
    """A committed User of the step's models (confirmed when the step has confirmation)."""
    if 'confirmed' in models.User.__table__.c:
        columns.setdefault('confirmed', True)
    user = models.User(email=email, username=username, password=password, **columns)
    db.session.add(user)
    db.session.commit()
    return user


def add_post(models, db, author, body='A post', **columns):
    """A committed Post of the step's models (chapter 11 on), written by `author`."""
    post = models.Post(body=body, author=author, **columns)
    db.session.add(post)
    db.session.commit()
    return post


def login(client, email='john@example.com', password=PASSWORD, remember=False, next=None):
    """POST the step's login form; the response is not followed."""
    url = '/auth/login' + ('?next=' + next if next is not None else '')
    data = {'email': email, 'password': password}
    if remember:
        data['remember_me'] = 'y'
    return client.post(url, data=data)


def flashed(response):
    """The flashed messages a page shows (base.html's alerts)."""
    return [text.lstrip('×').strip() for text in pages.texts(response.get_data(True), 'div',
                                                              class_='alert')]


@pytest.fixture
def models(step_module, db):
    """The step's app.models, its tables created (the db fixture)."""
    return step_module('app.models')


@pytest.fixture
def roles(models, db):
    """The step's roles (9a on), inserted as `make run` does: {name: Role}."""
    models.Role.insert_roles()
    return {role.name: role for role in db.session.scalars(db.select(models.Role))}


@pytest.fixture
def outbox(step_module, app, monkeypatch):
    """The messages the step's auth views send, each once its thread has finished: a list
    that fills as the test goes. TESTING suppresses the sending itself, not the record."""
    views = step_module('app.auth.views')
    original = views.send_email

    def send_and_wait(*args, **kwargs):
        thread = original(*args, **kwargs)
        thread.join(timeout=20)
        assert not thread.is_alive()
        return thread

    monkeypatch.setattr(views, 'send_email', send_and_wait)
    with step_module('app').mail.record_messages() as messages:
        yield messages


@contextlib.contextmanager
def csrf_on(app):
    """CSRF protection as in the served step (the app fixture turns it off)."""
    app.config['WTF_CSRF_ENABLED'] = True
    try:
        yield
    finally:
        app.config['WTF_CSRF_ENABLED'] = False
