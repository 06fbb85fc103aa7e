"""The Streamlit demo driven in headless Debian Chromium, as a recruiter would use it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, make_pdf

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

JD = """Data Scientist
Requirements:
- You must have 3+ years of Python programming and strong SQL.
- Solid statistics and machine learning.
Nice to have: cloud computing.
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(sample_data_dir, kb_cache, taxonomy):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    port = _free_port()
    env = dict(os.environ, SKILLMATCH_DATA=str(sample_data_dir), SKILLMATCH_CACHE=str(kb_cache),
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                               "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("streamlit did not start: " + server.stdout.read().decode(errors="replace")[-2000:])
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(90_000)
        page.goto(app_url)
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_recruiter_flow(page, tmp_path):
    page.get_by_text("skillmatch — skills-based candidate ranking").wait_for()
    page.get_by_label("Job description", exact=True).fill(JD)
    page.get_by_role("button", name="Extract skills").click()
    page.get_by_text("Skills by type, with evidence").wait_for()
    page.locator("[data-testid=stMarkdownContainer]").get_by_text("Python (computer programming)").first.wait_for()
    _shot(page, "1-job.png")

    good = tmp_path / "alex.txt"
    good.write_text("Data scientist: machine learning in Python, SQL and statistics every day.")
    other = tmp_path / "sam.pdf"
    other.write_bytes(make_pdf(["Registered nurse providing nursing care and first aid."]))
    page.get_by_role("tab", name="2 · Candidates").click()
    page.locator("input[type=file]").nth(1).set_input_files([str(good), str(other)])
    page.get_by_text("sam.pdf").wait_for()
    page.get_by_role("button", name="Rank candidates").click()
    page.get_by_text("Why alex scores").wait_for()
    page.get_by_text("The contributions add up to the score").wait_for()
    page.locator("[data-testid=stTable]").wait_for()
    page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
    page.wait_for_timeout(2000)  # let the charts finish drawing before the screenshot
    _shot(page, "2-ranking.png")
    explanation = page.locator("[data-testid=stTable]").inner_text()
    assert "Python (computer programming)" in explanation and "exact" in explanation


def test_corrupt_file_shows_a_friendly_error(page, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    page.get_by_role("tab", name="2 · Candidates").click()
    page.locator("input[type=file]").nth(1).set_input_files([str(broken)])
    page.get_by_text("broken.pdf").first.wait_for()
    page.get_by_role("button", name="Rank candidates").click()
    page.get_by_text("Could not read").wait_for()
    assert page.get_by_text("Traceback").count() == 0
    _shot(page, "3-error.png")
