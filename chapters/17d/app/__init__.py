from flask import Flask, redirect, request
from flask_bootstrap import Bootstrap, StaticCDN
from flask_login import LoginManager
from flask_mail import Mail
from flask_moment import Moment
from flask_pagedown import PageDown
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from config import config

# the extensions exist before any application does; create_app() binds them to each one
bootstrap = Bootstrap()
mail = Mail()
moment = Moment()
db = SQLAlchemy()
pagedown = PageDown()
# every POST must carry the form's CSRF token, plain forms with a button too
csrf = CSRFProtect()
login_manager = LoginManager()
# 'strong': a session cookie used from another address or browser is thrown away
login_manager.session_protection = 'strong'
# where @login_required sends a visitor who is not logged in
login_manager.login_view = 'auth.login'


def redirect_to_https():
    """A request over plain HTTP goes to the same address over HTTPS (the book used
    Flask-SSLify, which is no longer maintained)."""
    if not request.is_secure:
        # 308, not 301, for a form: the browser sends its POST again, not a GET
        code = 301 if request.method in ('GET', 'HEAD') else 308
        return redirect(request.url.replace('http://', 'https://', 1), code=code)


def strict_transport_security(response):
    # the browser then goes straight to HTTPS for a year, with no plain HTTP request first
    if request.is_secure:
        response.headers.setdefault('Strict-Transport-Security', 'max-age=31536000')
    return response


def create_app(config_name):
    app = Flask(__name__)
    app.config.from_object(config[config_name])
    config[config_name].init_app(app)
    # first of all the app does with a request: before CSRF protection refuses a form
    if app.config['SSL_REDIRECT'] and not app.debug and not app.testing:
        app.before_request(redirect_to_https)
        app.after_request(strict_transport_security)

    bootstrap.init_app(app)
    # Bootstrap and jQuery from app/static/, as in chapter 3 (not Flask-Bootstrap's old copies)
    app.extensions['bootstrap']['cdns'].update(bootstrap=StaticCDN(), jquery=StaticCDN())
    mail.init_app(app)
    moment.init_app(app)
    db.init_app(app)
    pagedown.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)

    from .main import main as main_blueprint
    app.register_blueprint(main_blueprint)

    # every route of the auth blueprint starts with /auth: its /login is /auth/login
    from .auth import auth as auth_blueprint
    app.register_blueprint(auth_blueprint, url_prefix='/auth')

    from .api_1_0 import api as api_1_0_blueprint
    app.register_blueprint(api_1_0_blueprint, url_prefix='/api/v1.0')
    # no CSRF token for the API: it takes no cookie, only credentials sent with each request,
    # which a page on another site cannot add
    csrf.exempt(api_1_0_blueprint)

    return app
