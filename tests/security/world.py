"""A small world for the security battery: three users (john an administrator where roles
exist, susan, bob), a post of susan's with a comment of bob's, follows, and what is stored
of it (the database, the session, the mail sent), to say whether a request changed it.

Every request goes through request(): the tests push one application context for the whole
test, and Flask-Login keeps the user it loaded, and Flask-WTF the CSRF token it made, in
that context's `g`, where the next request, of another client, would find them (chapter
15's notes)."""
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import flask

from accounts import PASSWORD, add_user

# what a request may change without changing anything stored: when a user was last seen,
# and in the session the form tokens, flashed messages and Flask-Login's own bookkeeping
VOLATILE_COLUMNS = {'last_seen'}
VOLATILE_SESSION = {'csrf_token', '_flashes', '_fresh', '_id', '_permanent'}


class World:
    def __init__(self, app, models=None, db=None, roles=None, outbox=None):
        self.app, self.models, self.db, self.outbox = app, models, db, outbox
        self.users, self.ids, self.tokens = {}, {}, {}
        # users who log in: from the step whose login page takes an email and a password (8c)
        if models is None or 'auth.login' not in app.view_functions or \
                'email' not in models.User.__table__.c:
            return
        admin = {'role': roles['Administrator']} if roles else {}
        for name in ('john', 'susan', 'bob'):
            self.users[name] = add_user(models, db, '{}@example.com'.format(name), name,
                                        **(admin if name == 'john' else {}))
        self.ids['user'] = self.users['susan'].id
        if hasattr(models, 'Post'):
            post = models.Post(body='a post of susan', author=self.users['susan'])
            db.session.add(post)
            db.session.commit()
            self.ids['post'] = post.id
        if hasattr(models, 'Comment'):
            comment = models.Comment(body='a comment of bob', post=post,
                                     author=self.users['bob'])
            db.session.add(comment)
            db.session.commit()
            self.ids['comment'] = comment.id
        if hasattr(models.User, 'follow'):
            self.users['john'].follow(self.users['bob'])
            db.session.commit()

    def password_hashes(self):
        if not self.users:
            return []
        self.db.session.expire_all()
        return [user.password_hash for user in self.models.User.query.all()]

    def token(self, kind, user='susan'):
        """A token of the step's User for `kind`: confirm, reset, email change or auth."""
        person = self.users[user]
        if kind == 'confirm':
            return person.generate_confirmation_token()
        if kind == 'reset':
            return person.generate_reset_token()
        if kind == 'change_email':
            return person.generate_email_change_token('new-{}@example.com'.format(user))
        return person.generate_auth_token(expiration=3600)

    def path(self, rule, endpoint):
        """A path of the rule, its arguments filled in with what the world holds."""
        values = {}
        for name in rule.arguments:
            if name in ('username', 'name'):
                values[name] = 'bob' if endpoint.endswith('unfollow') else 'susan'
            elif name == 'id':
                values[name] = self.ids[id_kind(endpoint)]
            elif name == 'token':
                values[name] = self.token(token_kind(endpoint))
            elif name == 'filename':
                values[name] = 'styles.css'
            else:
                raise AssertionError('the battery does not know the argument {!r} of {}: '
                                     'say here what to fill it with'.format(name, rule))
        with self.app.test_request_context():
            return flask.url_for(endpoint, **values)

    def stored(self, client):
        """What is stored: each table's rows, the session's content, the mail sent."""
        tables = {}
        if self.db is not None:
            self.db.session.expire_all()
            for table in self.db.metadata.sorted_tables:
                columns = [c for c in table.c if c.name not in VOLATILE_COLUMNS]
                tables[table.name] = sorted(
                    tuple(map(repr, row)) for row in self.db.session.execute(
                        self.db.select(*columns)).all())
        session = {}
        cookie = client.get_cookie('session')
        if cookie is not None:
            data = self.app.session_interface.get_signing_serializer(self.app).loads(
                cookie.value)
            session = {k: v for k, v in data.items() if k not in VOLATILE_SESSION}
        return tables, session, len(self.outbox) if self.outbox is not None else 0


def id_kind(endpoint):
    """Which of the world's ids an endpoint's <int:id> names."""
    if endpoint.startswith('main.moderate') or 'comment' in endpoint and 'post' not in endpoint:
        return 'comment'
    if 'user' in endpoint or endpoint == 'main.edit_profile_admin':
        return 'user'
    return 'post'


def token_kind(endpoint):
    for kind in ('confirm', 'reset', 'change_email'):
        if kind in endpoint:
            return kind
    raise AssertionError('which token does {} take?'.format(endpoint))


def request(client, method, path, **kwargs):
    """A request of this client alone (see the module's docstring)."""
    if flask.has_app_context():
        # the user Flask-Login loaded, the CSRF token Flask-WTF made: another client's
        flask.g.pop('_login_user', None)
        flask.g.pop('csrf_token', None)
    return client.open(path, method=method, **kwargs)


def log_in(client, user='john'):
    """Log the client in, the CSRF protection set aside for this request alone."""
    app = client.application
    protected = app.config.get('WTF_CSRF_ENABLED', True)
    app.config['WTF_CSRF_ENABLED'] = False
    try:
        response = request(client, 'POST', '/auth/login',
                           data={'email': '{}@example.com'.format(user), 'password': PASSWORD})
    finally:
        app.config['WTF_CSRF_ENABLED'] = protected
    assert response.status_code == 302, response.get_data(True)


def site_rules(app):
    """The rules of the site's pages: not the API (it takes no cookie, and no token), not
    static files."""
    return [rule for rule in app.url_map.iter_rules()
            if not rule.endpoint.startswith('api.') and rule.endpoint != 'static'
            and not rule.endpoint.endswith('.static')]


class _FirstPostForm(HTMLParser):
    """The fields of the first form of a page that is sent by POST."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.state, self.select, self.selected, self.textarea = {}, 0, None, \
            False, None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or '' for name, value in attrs}
        if tag == 'form':
            self.state = 1 if self.state == 0 and attrs.get('method', '').lower() == 'post' \
                else 2 if self.state == 1 else self.state
        elif self.state != 1:
            return
        name = attrs.get('name')
        if tag == 'input' and name:
            if attrs.get('type') not in ('checkbox', 'radio') or 'checked' in attrs:
                self.fields.setdefault(name, attrs.get('value', ''))
        elif tag == 'select':
            self.select, self.selected = name, False
        elif tag == 'option' and self.select and not self.selected:
            self.fields[self.select] = attrs.get('value', '')
            self.selected = 'selected' in attrs
        elif tag == 'textarea' and name:
            self.textarea = name
            self.fields[name] = ''

    def handle_endtag(self, tag):
        if tag == 'form' and self.state == 1:
            self.state = 2
        elif tag == 'select':
            self.select = None
        elif tag == 'textarea':
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.state == 1:
            self.fields[self.textarea] += data


def form_fields(html):
    """{name: value} of the first form of a page sent by POST, as a browser would send it
    unchanged (hidden fields, text, the selected or first option of a select)."""
    parser = _FirstPostForm()
    parser.feed(html)
    parser.close()
    return parser.fields


# addresses of another site, as an attacker writes them to get past a check
ELSEWHERE = ['https://evil.example/', '//evil.example/', '/\\evil.example/', '\\\\evil.example',
             '/\t/evil.example', ' //evil.example', 'https:evil.example',
             'http://localhost@evil.example/', 'javascript:alert(1)', '/%2F%2Fevil.example',
             '///evil.example', '\\/evil.example']


def leaves_the_site(location, base='http://localhost/'):
    """Where a browser would go from `location`, read as browsers do: a backslash is a
    slash, tabs and newlines are dropped, and any number of slashes starts an address."""
    cleaned = ''.join(ch for ch in location.replace('\\', '/') if ch not in '\t\n\r').strip()
    cleaned = re.sub(r'^/{2,}', '//', cleaned)
    target = urlsplit(urljoin(base, cleaned))
    return target.scheme not in ('http', 'https') or target.hostname != 'localhost'
