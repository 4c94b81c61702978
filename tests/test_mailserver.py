"""scripts/mailserver: a real SMTP server that shows each message and keeps it as .eml."""
import email
import email.policy
import signal
import smtplib
import socket
import subprocess
import sys
from email.message import EmailMessage

from fixtures_mail import MAILSERVER, MailServer


def multipart(subject='[Flasky] New User', name='Dave'):
    message = EmailMessage()
    message['From'] = 'Flasky Admin <flasky@example.com>'
    message['To'] = 'admin@example.com'
    message['Subject'] = subject
    message.set_content('User {} has joined.\n'.format(name))
    message.add_alternative('<p>User <b>{}</b> has joined.</p>\n'.format(name), subtype='html')
    return message


def send(server, message):
    with smtplib.SMTP(server.host, server.port, timeout=10) as smtp:
        smtp.send_message(message)


def run(*args, **kwargs):
    return subprocess.run([sys.executable, str(MAILSERVER), *args], capture_output=True,
                          text=True, timeout=30, **kwargs)


def test_prints_a_summary_and_keeps_the_message(mailserver):
    send(mailserver, multipart())
    [path] = mailserver.files()
    output = mailserver.output()
    assert 'From:    Flasky Admin <flasky@example.com>' in output
    assert 'To:      admin@example.com' in output
    assert 'Subject: [Flasky] New User' in output
    assert '  User Dave has joined.' in output
    assert '<b>' not in output  # the summary shows the text part, not the HTML
    assert path.name in output
    kept = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert kept['Subject'] == '[Flasky] New User'
    assert kept.get_body(('plain',)).get_content() == 'User Dave has joined.\n'
    assert kept.get_body(('html',)).get_content() == '<p>User <b>Dave</b> has joined.</p>\n'


def test_accepts_a_login_as_a_configured_step_would_send(mailserver):
    with smtplib.SMTP(mailserver.host, mailserver.port, timeout=10) as smtp:
        smtp.login('someone@example.com', 'any password')
        smtp.send_message(multipart())
    assert len(mailserver.messages()) == 1
    assert 'deprecated' not in mailserver.output()


def test_html_only_message_says_so(mailserver):
    message = EmailMessage()
    message['Subject'], message['From'], message['To'] = 'html', 'a@example.com', 'b@example.com'
    message.set_content('<p>hi</p>', subtype='html')
    send(mailserver, message)
    assert '(no text part: HTML only)' in mailserver.output()


def test_file_names_sort_in_arrival_order_across_restarts(tmp_path):
    server = MailServer(tmp_path / 'mail').start()
    try:
        for number in range(2):
            send(server, multipart(subject='message {}'.format(number)))
    finally:
        server.stop()
    server = MailServer(tmp_path / 'mail').start()
    try:
        send(server, multipart(subject='message 2'))
        names = [p.name for p in server.files()]
        assert [n[:5] for n in names] == ['0001-', '0002-', '0003-']
        assert [m['Subject'] for m in server.messages(3)] == ['message 0', 'message 1',
                                                              'message 2']
    finally:
        server.stop()


def test_taken_port_is_one_line_and_exit_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run('--port', str(port), '--dir', str(tmp_path / 'mail'))
    assert result.returncode == 1
    assert result.stderr == 'mailserver: port {} is already in use (is another mail server ' \
                            'running?)\n'.format(port)


def test_ctrl_c_and_sigterm_stop_it_cleanly(tmp_path):
    for sig in (signal.SIGINT, signal.SIGTERM):
        server = MailServer(tmp_path / 'mail-{}'.format(sig.name)).start()
        server.process.send_signal(sig)
        assert server.process.wait(timeout=10) == 0
        assert server.output().endswith('mailserver: stopped\n')
        assert 'Traceback' not in server.output()


def test_without_aiosmtpd_says_how_to_run_it(tmp_path):
    # -S leaves out site-packages: the script is then run as outside the venv
    result = subprocess.run([sys.executable, '-S', str(MAILSERVER), '--dir', str(tmp_path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.count('\n') == 1
    assert 'aiosmtpd is not installed' in result.stderr
    assert '.venv/bin/python' in result.stderr and 'make run' in result.stderr


def test_bad_port_is_a_usage_error(tmp_path):
    result = run('--port', 'smtp', '--dir', str(tmp_path))
    assert result.returncode == 2
    assert "not a port number: 'smtp'" in result.stderr
    assert 'Traceback' not in result.stderr


def test_unusable_mail_folder_is_a_usage_error(tmp_path):
    (tmp_path / 'file').write_text('not a folder')
    result = run('--dir', str(tmp_path / 'file' / 'mail'))
    assert result.returncode == 2
    assert result.stderr.startswith('mailserver: cannot use ')
    assert result.stderr.count('\n') == 1


def test_help():
    result = run('--help')
    assert result.returncode == 0
    assert 'usage: scripts/mailserver' in result.stdout and '--dir' in result.stdout
