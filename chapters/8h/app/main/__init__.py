from flask import Blueprint

main = Blueprint('main', __name__)

# at the bottom: views and errors import `main` from this module
from . import errors, views  # noqa: E402,F401
