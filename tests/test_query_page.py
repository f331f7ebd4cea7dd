"""The YASGUI query page in headless Chromium: it loads from our own files and shows every tab."""

import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed: "
    "apt-get install chromium (CI's .ci/run installs it)",
)
def test_yasgui_renders_every_canned_query_as_a_tab(live_server, app, tmp_path):
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"{live_server.url}/sparql",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert 'class="yasgui' in dom, "YASGUI did not start"
    for name in app.extensions["newborn_kg.canned"].catalog:
        assert f">{name}<" in dom, f"no tab for {name}"
