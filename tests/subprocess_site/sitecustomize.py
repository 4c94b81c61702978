"""Loaded by the step processes a test starts with this folder on PYTHONPATH.

- FLASKY_TEST_PORT: the book's 2a-2b call app.run(debug=True), which always listens on port
  5000. To run that very command in parallel tests, Werkzeug listens on this port instead.
- FLASKY_TEST_QUICK_HASH: the step's own unit tests, run by pytest in a process of their own,
  hash passwords as the in-process tests do (conftest.quick_password_hash): a scrypt hash
  takes 0.15 s, and those tests make dozens. The served steps keep werkzeug's default.
"""
import os

_port = os.environ.get('FLASKY_TEST_PORT')
if _port:
    import werkzeug.serving

    _run_simple = werkzeug.serving.run_simple

    def _run_simple_on_test_port(hostname, port, application, *args, **kwargs):
        return _run_simple(hostname, int(_port), application, *args, **kwargs)

    werkzeug.serving.run_simple = _run_simple_on_test_port

if os.environ.get('FLASKY_TEST_QUICK_HASH'):
    import werkzeug.security

    _generate_password_hash = werkzeug.security.generate_password_hash

    def _quick_password_hash(password, method='pbkdf2:sha256:1000', salt_length=16):
        return _generate_password_hash(password, method=method, salt_length=salt_length)

    werkzeug.security.generate_password_hash = _quick_password_hash
