from flask import Flask
from flask_script_ng import Manager
from markupsafe import escape

app = Flask(__name__)
manager = Manager(app)


@app.route('/')
def index():
    return '<h1>Hello World!</h1>'


@app.route('/user/<name>')
def user(name):
    # the name comes from the URL: escape it, or a link could inject a script
    return '<h1>Hello, {}!</h1>'.format(escape(name))


if __name__ == '__main__':
    manager.run()
