from flask import render_template

from . import main
from ..models import User


@main.route('/')
def index():
    # the greeting comes from current_user now: registration replaces the name form
    return render_template('index.html')


@main.route('/user/<username>')
def user(username):
    # an unknown name is a page that does not exist: 404, not an empty profile
    user = User.query.filter_by(username=username).first_or_404()
    return render_template('user.html', user=user)
