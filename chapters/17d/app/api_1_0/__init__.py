from flask import Blueprint

api = Blueprint('api', __name__)

# at the bottom: the modules import `api` from here
from . import authentication, comments, errors, posts, users  # noqa: E402,F401
