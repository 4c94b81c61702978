from threading import Thread

from flask import current_app, render_template
from flask_mail import Message

from . import mail


def send_async_email(app, msg):
    # a new thread starts without the request's contexts, and Flask-Mail needs the app's
    with app.app_context():
        try:
            mail.send(msg)
        except OSError as error:  # smtplib's errors are OSErrors too
            # the page was answered long ago: the log is the one place left to say so
            app.logger.error('Could not send the mail %r to %s: %s', msg.subject,
                             ', '.join(msg.recipients), error)


def send_email(to, subject, template, **kwargs):
    # current_app is only a proxy, bound to this thread's context: the new thread needs
    # the application object itself
    app = current_app._get_current_object()
    msg = Message(app.config['FLASKY_MAIL_SUBJECT_PREFIX'] + ' ' + subject,
                  sender=app.config['FLASKY_MAIL_SENDER'], recipients=[to])
    # a plain-text part for every mail program, an HTML part for those that show it
    msg.body = render_template(template + '.txt', **kwargs)
    msg.html = render_template(template + '.html', **kwargs)
    # a mail server may take seconds to answer: the page should not wait for it
    thr = Thread(target=send_async_email, args=[app, msg])
    thr.start()
    return thr
