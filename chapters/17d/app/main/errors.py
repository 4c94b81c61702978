from flask import jsonify, render_template, request

from . import main


def wants_json():
    """Whether the error goes to a program rather than a browser: a call to the API, or a
    client that accepts JSON and not HTML."""
    return request.path.startswith('/api/') or \
        (request.accept_mimetypes.accept_json and not request.accept_mimetypes.accept_html)


def json_error(e):
    response = jsonify({'error': e.name.lower(), 'message': e.description})
    response.status_code = e.code
    # what the error's own answer would say besides (a 405's Allow: the methods there are)
    for name, value in e.get_headers():
        if name != 'Content-Type':
            response.headers[name] = value
    return response


@main.app_errorhandler(403)
def forbidden(e):
    if wants_json():
        return json_error(e)
    return render_template('403.html'), 403


# app_errorhandler, not errorhandler: a blueprint's own handlers see only its routes'
# errors, and a 404 for an unknown URL belongs to no blueprint
@main.app_errorhandler(404)
def page_not_found(e):
    if wants_json():
        return json_error(e)
    return render_template('404.html'), 404


# a URL that exists, asked with a method it does not take (DELETE /api/v1.0/posts/1)
@main.app_errorhandler(405)
def method_not_allowed(e):
    if wants_json():
        return json_error(e)
    return e


@main.app_errorhandler(500)
def internal_server_error(e):
    if wants_json():
        return json_error(e)
    return render_template('500.html'), 500
