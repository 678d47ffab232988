"""`python -m dashboard serve --host H --port P` serves the app on the embedded data."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

from dashboard import config


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_and_answers(tmp_path):
    port = _free_port()
    env = {"PATH": "/usr/bin:/bin", "MIPEXR_VAR_DIR": str(tmp_path), "HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=config.PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 60
        body = None
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=5) as resp:
                    body = resp.read().decode()
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stdout.read())
                time.sleep(0.5)
        assert body is not None, "server did not answer within 60 s"
        assert "MIPEX-R Explorer" in body and "Illustrative data" in body
        # Dash answers every path with its index page: the page-specific title that Dash Pages writes into
        # its og:title meta tag shows that the path reached its own page (an unknown path gets the app's).
        pages = {"/": "map", "/region/PT20": "Azores", "/compare?regions=PT20,PT17": "compare regions",
                 "/explore": "explore and rank", "/methodology": "methodology"}
        for path, title in pages.items():
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as resp:
                html = resp.read().decode()
            found = re.search(r'<meta property="og:title" content="([^"]*)"', html)
            assert found and title in found.group(1), (path, found and found.group(1))
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_bad_data_dir_fails_with_clear_message(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(tmp_path), "serve", "--port", "1"],
                            cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "datapackage.json" in result.stderr and "Traceback" not in result.stderr
