from flask import Flask, render_template
from flask_script_ng import Manager

app = Flask(__name__)
manager = Manager(app)


@app.route('/')
def index():
    return render_template('index.html')


@app.route('/user/<name>')
def user(name):
    # no escape() here any more: Jinja2 escapes {{ name }} in .html templates
    return render_template('user.html', name=name)


if __name__ == '__main__':
    manager.run()
