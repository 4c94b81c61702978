from flask import render_template

from . import main


@main.app_errorhandler(403)
def forbidden(e):
    return render_template('403.html'), 403


# app_errorhandler, not errorhandler: a blueprint's own handlers see only its routes'
# errors, and a 404 for an unknown URL belongs to no blueprint
@main.app_errorhandler(404)
def page_not_found(e):
    return render_template('404.html'), 404


@main.app_errorhandler(500)
def internal_server_error(e):
    return render_template('500.html'), 500
