"""Loaded only by tests that serve a step with `python hello.py`.

The book's 2a-2b call app.run(debug=True), which always listens on port 5000. To run that very
command in parallel tests, this makes Werkzeug listen on FLASKY_TEST_PORT instead.
"""
import os

_port = os.environ.get('FLASKY_TEST_PORT')
if _port:
    import werkzeug.serving

    _run_simple = werkzeug.serving.run_simple

    def _run_simple_on_test_port(hostname, port, application, *args, **kwargs):
        return _run_simple(hostname, int(_port), application, *args, **kwargs)

    werkzeug.serving.run_simple = _run_simple_on_test_port
