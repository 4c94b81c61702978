from flask import Blueprint

main = Blueprint('main', __name__)

# at the bottom: views and errors import `main` from this module
from . import errors, views  # noqa: E402,F401
from ..models import Permission  # noqa: E402


# every template can then test {% if current_user.can(Permission.WRITE_ARTICLES) %}
@main.app_context_processor
def inject_permissions():
    return dict(Permission=Permission)
