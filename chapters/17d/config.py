import os

basedir = os.path.abspath(os.path.dirname(__file__))


def database_url(url):
    """A database URL as SQLAlchemy takes it, for PostgreSQL through psycopg 3: hosting
    platforms hand out postgres://, a name SQLAlchemy no longer knows, and the driver is
    named, as postgresql:// alone meant psycopg2 before SQLAlchemy 2.1."""
    for scheme in ('postgres://', 'postgresql://'):
        if url and url.startswith(scheme):
            return 'postgresql+psycopg://' + url[len(scheme):]
    return url


class Config:
    # signs the session cookie and the forms' CSRF tokens: set your own in SECRET_KEY, the
    # fallback is public (it is written right here) and only good for trying the step out
    SECRET_KEY = os.environ.get('SECRET_KEY') or 'not secret: for development only'
    # mail goes to scripts/mailserver on this machine (`make run` starts it) unless the
    # environment names a real server; passwords belong in the environment, never in the code
    MAIL_SERVER = os.environ.get('MAIL_SERVER') or '127.0.0.1'
    MAIL_PORT = int(os.environ.get('MAIL_PORT') or 8025)
    MAIL_USE_TLS = os.environ.get('MAIL_USE_TLS', '').lower() in ('true', 'on', '1')
    MAIL_USE_SSL = os.environ.get('MAIL_USE_SSL', '').lower() in ('true', 'on', '1')
    MAIL_USERNAME = os.environ.get('MAIL_USERNAME')
    MAIL_PASSWORD = os.environ.get('MAIL_PASSWORD')
    FLASKY_MAIL_SUBJECT_PREFIX = '[Flasky]'
    FLASKY_MAIL_SENDER = os.environ.get('FLASKY_MAIL_SENDER') or \
        'Flasky Admin <flasky@example.com>'
    FLASKY_ADMIN = os.environ.get('FLASKY_ADMIN')
    FLASKY_POSTS_PER_PAGE = 20
    FLASKY_FOLLOWERS_PER_PAGE = 50
    FLASKY_COMMENTS_PER_PAGE = 30
    # Flask-SQLAlchemy keeps each request's statements and their durations; those slower
    # than FLASKY_SLOW_DB_QUERY_TIME seconds are logged after the request
    SQLALCHEMY_RECORD_QUERIES = True
    FLASKY_SLOW_DB_QUERY_TIME = 0.5
    # plain HTTP requests sent to the same address over HTTPS (a platform's configuration)
    SSL_REDIRECT = False

    @staticmethod
    def init_app(app):
        pass


class DevelopmentConfig(Config):
    DEBUG = True
    # each configuration has a database of its own, so the tests never touch your data
    SQLALCHEMY_DATABASE_URI = os.environ.get('DEV_DATABASE_URL') or \
        'sqlite:///' + os.path.join(basedir, 'data-dev.sqlite')


class TestingConfig(Config):
    TESTING = True
    # the test client posts forms without their CSRF token; the served app still wants it
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = os.environ.get('TEST_DATABASE_URL') or \
        'sqlite:///' + os.path.join(basedir, 'data-test.sqlite')


class ProductionConfig(Config):
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get('DATABASE_URL')) or \
        'sqlite:///' + os.path.join(basedir, 'data.sqlite')
    # the session and "remember me" cookies go over HTTPS only, never in the clear
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @classmethod
    def init_app(cls, app):
        Config.init_app(app)
        # the fallback key is in this file, for anyone to read: with it, anyone could sign a
        # session cookie that logs them in as any user
        if not os.environ.get('SECRET_KEY'):
            raise RuntimeError('SECRET_KEY is not set: the production configuration will '
                               'not use the development key. Set it in the environment to '
                               'a long random value, e.g. the output of python -c "import '
                               'secrets; print(secrets.token_hex())"')

        # each error (an exception in a view) is mailed to the administrator, with its
        # traceback, through the server the application sends its mail with; with no
        # administrator named, errors go to the log alone
        if not cls.FLASKY_ADMIN:
            return
        import logging
        from logging.handlers import SMTPHandler
        credentials, secure = None, None
        if cls.MAIL_USERNAME:
            credentials = (cls.MAIL_USERNAME, cls.MAIL_PASSWORD)
            if cls.MAIL_USE_TLS:
                secure = ()  # STARTTLS before logging in, with no client certificate
        mail_handler = SMTPHandler(
            mailhost=(cls.MAIL_SERVER, cls.MAIL_PORT),
            fromaddr=cls.FLASKY_MAIL_SENDER,
            toaddrs=[cls.FLASKY_ADMIN],
            subject=cls.FLASKY_MAIL_SUBJECT_PREFIX + ' Application Error',
            credentials=credentials,
            secure=secure)
        mail_handler.setLevel(logging.ERROR)
        app.logger.addHandler(mail_handler)


class HerokuConfig(ProductionConfig):
    # the platform serves HTTPS only at its router: send plain HTTP there; SSL_DISABLE=1
    # for `heroku local` on your own machine, which has no HTTPS
    SSL_REDIRECT = not os.environ.get('SSL_DISABLE')

    @classmethod
    def init_app(cls, app):
        ProductionConfig.init_app(app)

        # the router talks HTTPS to browsers and plain HTTP to the app, and says what the
        # browser used in X-Forwarded-For and X-Forwarded-Proto: trust one proxy's word
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

        # the log on stderr, which the platform collects from every process; Flask's own
        # handler would write each line there a second time
        import logging
        from flask.logging import default_handler
        app.logger.removeHandler(default_handler)
        stream_handler = logging.StreamHandler()
        stream_handler.setLevel(logging.INFO)
        app.logger.addHandler(stream_handler)
        app.logger.setLevel(logging.INFO)


class UnixConfig(ProductionConfig):
    @classmethod
    def init_app(cls, app):
        ProductionConfig.init_app(app)

        # the log to the system's syslog daemon, where a server's administrator reads the
        # logs of every service (journalctl, /var/log); over UDP to port 514 where the
        # system has no /dev/log socket
        import logging
        from logging.handlers import SysLogHandler
        address = '/dev/log' if os.path.exists('/dev/log') else ('localhost', 514)
        syslog_handler = SysLogHandler(address=address)
        syslog_handler.ident = 'flasky: '  # the program's name, to find its lines by
        syslog_handler.setLevel(logging.WARNING)
        app.logger.addHandler(syslog_handler)


config = {
    'development': DevelopmentConfig,
    'testing': TestingConfig,
    'production': ProductionConfig,
    'heroku': HerokuConfig,
    'unix': UnixConfig,

    'default': DevelopmentConfig
}
