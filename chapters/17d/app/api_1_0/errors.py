from flask import jsonify
from werkzeug.exceptions import HTTPException

from . import api
from ..exceptions import ValidationError


def bad_request(message):
    response = jsonify({'error': 'bad request', 'message': message})
    response.status_code = 400
    return response


def unauthorized(message):
    response = jsonify({'error': 'unauthorized', 'message': message})
    response.status_code = 401
    # a 401 says how to authenticate, as Flask-HTTPAuth's own answer does
    response.headers['WWW-Authenticate'] = 'Basic realm="Authentication Required"'
    return response


def forbidden(message):
    response = jsonify({'error': 'forbidden', 'message': message})
    response.status_code = 403
    return response


@api.errorhandler(ValidationError)
def validation_error(e):
    return bad_request(e.args[0])


# any other error of an API view (an abort(400) ...) answers JSON too; 403, 404, 405 and 500
# have the application's own handlers (main/errors.py), which answer JSON under /api/
@api.errorhandler(HTTPException)
def http_error(e):
    response = jsonify({'error': e.name.lower(), 'message': e.description})
    response.status_code = e.code
    return response
