"""`unisupport serve --workers N`: the production server (granian) serves the portal, its CSS and the API."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import database_url
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("addr", "expected"),
    [("127.0.0.1:8000", ("127.0.0.1", 8000)), ("[::1]:8080", ("::1", 8080)), ("9000", ("127.0.0.1", 9000))],
)
def test_the_address_is_split_into_host_and_port(addr, expected):
    from unisupport.cli.admin_commands import split_address

    assert split_address(addr) == expected


def test_an_address_without_a_port_is_refused_naming_the_option():
    from tests.interfaces.clirunner import unisupport

    result = unisupport("serve", "--workers", "1", "--addr", "localhost")
    assert result.exit_code == 2
    assert "--addr" in result.stderr
    assert "HOST:PORT" in result.stderr


def test_serve_warns_in_one_line_on_stderr_when_debug_is_on(settings):
    from tests.interfaces.clirunner import unisupport
    from unisupport.cli.admin_commands import DEBUG_WARNING

    settings.DEBUG = True
    warned = unisupport("serve", "--workers", "1", "--addr", "localhost")
    assert warned.stderr.splitlines()[0] == DEBUG_WARNING
    assert "UNISUPPORT_DEBUG=0" in DEBUG_WARNING
    settings.DEBUG = False
    quiet = unisupport("serve", "--workers", "1", "--addr", "localhost")
    assert "DEBUG" not in quiet.stderr


def test_serve_with_workers_answers_pages_static_files_and_the_api(demo_orders):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url(), UNISUPPORT_DEBUG="0")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("unisupport")),
            "serve",
            "--addr",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        # Up to a minute: on a busy machine (or beside xdist's other worker) start-up is slow.
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
        with urllib.request.urlopen(f"{base}/static/portal/app.css", timeout=5) as css:
            assert css.headers["Content-Type"].startswith("text/css")
        with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=5) as spec:
            assert spec.status == 200
        # An API client keeps its connection between requests (HTTP/1.1 keep-alive).
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        for _ in range(3):
            client.request("GET", "/api/rules/SEV-1")
            answer = client.getresponse()
            assert answer.status == 401  # (no token) — answered, and the connection kept
            answer.read()
            assert not answer.will_close
        client.close()
    finally:
        server.terminate()
        try:
            # Granian drains its connections first; on a loaded machine that can take a while.
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def test_serve_sizes_auto_from_the_cpus_and_refuses_anything_else():
    from tests.interfaces.clirunner import unisupport
    from unisupport.cli.admin_commands import AUTO_THREADS, sized

    assert sized("auto", option="--workers") == (os.cpu_count() or 1)
    assert sized("auto", option="--threads") == AUTO_THREADS
    assert sized("3", option="--threads") == 3
    refused = unisupport("serve", "--workers", "many", "--addr", "localhost:8123")
    assert refused.exit_code == 2
    assert "--workers" in refused.stderr
