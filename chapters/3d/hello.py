from flask import Flask, render_template
from flask_bootstrap import Bootstrap
from flask_script_ng import Manager

app = Flask(__name__)
manager = Manager(app)
bootstrap = Bootstrap(app)
# Bootstrap and jQuery from the copies inside the Flask-Bootstrap package, not from a CDN:
# the pages then work offline, and no third party learns who visits them
app.config['BOOTSTRAP_SERVE_LOCAL'] = True


@app.route('/')
def index():
    return render_template('index.html')


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
