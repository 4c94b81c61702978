"""The test helpers themselves, where a mistake would make other tests pass or fail wrongly."""
import re
import socket
import urllib.request

import support
from support import steplib


def test_a_server_whose_port_is_taken_meanwhile_starts_on_another(tmp_path, monkeypatch):
    with socket.socket() as taken:  # another test's server, on the port handed out first
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        ports = [taken.getsockname()[1]]
        free_port = support.free_port
        monkeypatch.setattr(support, 'free_port', lambda: ports.pop() if ports else free_port())
        server = support.Server(steplib.find('2c'), tmp_path, reload=False).start()
        try:
            assert server.port != taken.getsockname()[1]
            with urllib.request.urlopen(server.url + '/', timeout=20) as response:
                assert response.read() == b'<h1>Hello World!</h1>'
        finally:
            server.stop()


def test_copy_project_can_end_at_a_step(tmp_path):
    from script_support import copy_project
    copy = copy_project(tmp_path / 'copy', last='2b')
    assert sorted(p.name for p in (copy / 'chapters').iterdir()) == [
        '1a', '2a', '2b', 'steps.toml']
    listed = re.findall(r'^name = "(\w+)"$', (copy / 'chapters' / 'steps.toml').read_text(),
                        flags=re.M)
    assert listed == ['1a', '2a', '2b']
    assert (copy / 'scripts' / 'steplib.py').exists()
