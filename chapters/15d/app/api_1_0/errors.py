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
    return response


def forbidden(message):
    response = jsonify({'error': 'forbidden', 'message': message})
    response.status_code = 403
    return response


@api.errorhandler(ValidationError)
def validation_error(e):
    return bad_request(e.args[0])


# an abort() in an API view (a missing post's 404, an unexpected 500 ...) answers JSON too;
# errors outside the views (an unknown URL, a wrong method) are main/errors.py's
@api.errorhandler(HTTPException)
def http_error(e):
    response = jsonify({'error': e.name.lower(), 'message': e.description})
    response.status_code = e.code
    return response
