from flask import Flask, render_template
from flask_bootstrap import Bootstrap, StaticCDN
from flask_script_ng import Manager

app = Flask(__name__)
manager = Manager(app)
bootstrap = Bootstrap(app)
# Bootstrap and jQuery from static/ (scripts/assets puts them there), not from a CDN, so the
# pages work offline and no third party learns who visits them; and not the older copies
# inside Flask-Bootstrap, which have known XSS bugs
app.extensions['bootstrap']['cdns'].update(bootstrap=StaticCDN(), jquery=StaticCDN())


@app.route('/')
def index():
    return render_template('index.html')


@app.route('/user/<name>')
def user(name):
    # no escape() here any more: Jinja2 escapes {{ name }} in .html templates
    return render_template('user.html', name=name)


if __name__ == '__main__':
    manager.run()
