from datetime import datetime, timezone

import xstatic.pkg.moment
from flask import Blueprint, Flask, render_template
from flask_bootstrap import Bootstrap
from flask_moment import Moment
from flask_script_ng import Manager

app = Flask(__name__)
manager = Manager(app)
bootstrap = Bootstrap(app)
# Bootstrap and jQuery from the copies inside the Flask-Bootstrap package, not from a CDN:
# the pages then work offline, and no third party learns who visits them
app.config['BOOTSTRAP_SERVE_LOCAL'] = True
moment = Moment(app)
# moment.js itself comes from the XStatic-moment package, installed by pip like the rest,
# and is served by the app under /static/moment/: no CDN here either
momentjs = Blueprint('momentjs', __name__, static_folder=xstatic.pkg.moment.BASE_DIR,
                     static_url_path='/static/moment')
app.register_blueprint(momentjs)


@app.route('/')
def index():
    # UTC, as Flask-Moment expects: it sends the clock time marked Z (UTC) and ignores
    # tzinfo; an aware datetime says so in the code too, where utcnow() did not
    return render_template('index.html', current_time=datetime.now(timezone.utc))


@app.route('/user/<name>')
def user(name):
    # no escape() here any more: Jinja2 escapes {{ name }} in .html templates
    return render_template('user.html', name=name)


@app.errorhandler(404)
def page_not_found(e):
    return render_template('404.html'), 404


@app.errorhandler(500)
def internal_server_error(e):
    return render_template('500.html'), 500


if __name__ == '__main__':
    manager.run()
