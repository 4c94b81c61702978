from flask import render_template

from . import main


@main.route('/')
def index():
    # the greeting comes from current_user now: registration replaces the name form
    return render_template('index.html')


@main.route('/user/<name>')
def user(name):
    # no escape() here any more: Jinja2 escapes {{ name }} in .html templates
    return render_template('user.html', name=name)
