import xstatic.pkg.moment
from flask import Blueprint, Flask
from flask_bootstrap import Bootstrap
from flask_mail import Mail
from flask_moment import Moment
from flask_sqlalchemy import SQLAlchemy

from config import config

# the extensions exist before any application does; create_app() binds them to each one
bootstrap = Bootstrap()
mail = Mail()
moment = Moment()
db = SQLAlchemy()

# moment.js itself comes from the XStatic-moment package, installed by pip like the rest,
# and is served by the app under /static/moment/: no CDN here either
momentjs = Blueprint('momentjs', __name__, static_folder=xstatic.pkg.moment.BASE_DIR,
                     static_url_path='/static/moment')


def create_app(config_name):
    app = Flask(__name__)
    app.config.from_object(config[config_name])
    config[config_name].init_app(app)

    bootstrap.init_app(app)
    mail.init_app(app)
    moment.init_app(app)
    db.init_app(app)
    app.register_blueprint(momentjs)

    from .main import main as main_blueprint
    app.register_blueprint(main_blueprint)

    return app
