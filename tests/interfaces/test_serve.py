"""`unisupport serve --workers N`: the production server (gunicorn) serves the portal and its CSS."""

from __future__ import annotations

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
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        with urllib.request.urlopen(f"{base}/static/portal/app.css", timeout=5) as css:
            assert css.headers["Content-Type"].startswith("text/css")
        with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=5) as spec:
            assert spec.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
