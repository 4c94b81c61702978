from datetime import datetime, timedelta, timezone

import jwt
from flask import current_app
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from . import db, login_manager


def make_token(payload, expiration):
    """A signed token that carries `payload` and expires `expiration` seconds from now."""
    payload = dict(payload, exp=datetime.now(timezone.utc) + timedelta(seconds=expiration))
    return jwt.encode(payload, current_app.config['SECRET_KEY'], algorithm='HS256')


def read_token(token):
    """The payload of a token from make_token(); None if it was altered or has expired."""
    try:
        return jwt.decode(token, current_app.config['SECRET_KEY'], algorithms=['HS256'])
    except jwt.InvalidTokenError:
        return None


class Role(db.Model):
    __tablename__ = 'roles'
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(64), unique=True)
    # 'dynamic': role.users is a query to refine (role.users.count(), .order_by(...)), and
    # the backref gives every User a .role
    users = db.relationship('User', backref='role', lazy='dynamic')

    def __repr__(self):
        return '<Role %r>' % self.name


class User(UserMixin, db.Model):
    __tablename__ = 'users'
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(64), unique=True, index=True)
    username = db.Column(db.String(64), unique=True, index=True)
    role_id = db.Column(db.Integer, db.ForeignKey('roles.id'))
    # 256, not the book's 128: today's scrypt hashes are 162 characters long
    password_hash = db.Column(db.String(256))
    confirmed = db.Column(db.Boolean, default=False)

    @property
    def password(self):
        # only the hash is kept: there is no password to give back
        raise AttributeError('password is not a readable attribute')

    @password.setter
    def password(self, password):
        self.password_hash = generate_password_hash(password)

    def verify_password(self, password):
        return check_password_hash(self.password_hash, password)

    def generate_confirmation_token(self, expiration=3600):
        return make_token({'confirm': self.id}, expiration)

    def confirm(self, token):
        data = read_token(token)
        # the key names the token's purpose, its value the user: another user's token, or
        # a token made for something else, confirms nothing
        if data is None or 'confirm' not in data or data['confirm'] != self.id:
            return False
        self.confirmed = True
        db.session.add(self)
        return True

    def generate_reset_token(self, expiration=3600):
        return make_token({'reset': self.id}, expiration)

    @staticmethod
    def reset_password(token, new_password):
        # a static method: whoever resets a password is not logged in, the token names the user
        data = read_token(token)
        if data is None or 'reset' not in data:
            return False
        user = db.session.get(User, data['reset'])
        if user is None:
            return False
        user.password = new_password
        db.session.add(user)
        return True

    def __repr__(self):
        return '<User %r>' % self.username


@login_manager.user_loader
def load_user(user_id):
    # Flask-Login keeps the id in the session as a string
    return db.session.get(User, int(user_id))
