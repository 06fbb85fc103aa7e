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
    # the server's output goes to a file (a pipe nobody reads fills up and blocks the server), and
    # it watches no files: the screenshots and logs the tests write would make it rerun the app
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "streamlit.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                   "--server.headless", "true", "--server.port", str(port),
                                   "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
                                  env=env, stdout=output, stderr=subprocess.STDOUT)
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
        pytest.fail("streamlit did not start: " + log.read_text(errors="replace")[-2000:])
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, app_url):
    """A fresh page, hence a fresh app session: uploads of one test do not pile up in the next."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(90_000)
    page.goto(app_url)
    yield page
    page.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


DOCS = ROOT / "docs"


def _read_job(page) -> None:
    """Each test reads the JD itself, so it holds alone and after any other test."""
    page.get_by_text("skillmatch — skills-based candidate ranking").wait_for()
    page.get_by_role("tab", name="1 · Job description").click()
    page.get_by_label("Job description", exact=True).fill(JD)
    page.get_by_role("button", name="Extract skills").click()
    page.get_by_text("Where each requirement was read").wait_for()


def test_recruiter_flow(page, tmp_path):
    _read_job(page)
    page.locator("[data-testid=stMarkdownContainer]").get_by_text("Python (computer programming)").first.wait_for()
    _shot(page, "1-job.png")

    # a requirement typed by hand that maps to nothing gets a notice
    page.get_by_text("Add a requirement by name").click()
    page.get_by_label("Skill or technology").fill("qwzxv blorfing")
    page.get_by_label("Skill or technology").press("Enter")
    page.get_by_text("could not be mapped to an ESCO skill or an O*NET technology").wait_for()

    good = tmp_path / "alex.txt"
    good.write_text("Data scientist: machine learning in Python, SQL and statistics every day.")
    copy = tmp_path / "alex-again.txt"
    copy.write_text(good.read_text())
    other = tmp_path / "sam.pdf"
    other.write_bytes(make_pdf(["Registered nurse providing nursing care and first aid."]))
    page.get_by_role("tab", name="2 · Candidates").click()
    page.locator("input[type=file]").nth(1).set_input_files([str(good), str(copy), str(other)])
    page.get_by_text("3 files received").wait_for()  # the server has them: a click now ranks all three
    page.get_by_text("sam.pdf").wait_for()
    page.get_by_role("button", name="Rank candidates").click()
    page.get_by_text("alex: fit").wait_for()
    # the same content uploaded twice: ranked once, and said so
    page.get_by_text("Same content uploaded more than once").wait_for()
    assert page.get_by_text("alex-again is the same as alex").count() == 1
    page.get_by_text("candidates ranked in").wait_for()
    page.get_by_text("Requirements checklist", exact=True).wait_for()
    summary = page.locator("[data-testid=stMarkdownContainer]").get_by_text("meets").first.inner_text()
    assert "must-haves" in summary
    page.get_by_text("The points add up to the fit").wait_for()
    page.wait_for_timeout(1500)
    _shot(page, "2-ranking.png")
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "app-ranking.png"), full_page=True)
    page.get_by_text("Evidence for each requirement").click()
    page.wait_for_timeout(800)
    page.get_by_text("Requirements checklist", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "app-explanation.png"), full_page=False)

    with page.expect_download() as download:
        page.get_by_role("button", name="Ranking (CSV)").click()
    exported = Path(download.value.path()).read_text()
    assert "Python (computer programming)" in exported.splitlines()[1] and "0.0000" not in exported
    with page.expect_download() as download:
        page.get_by_role("button", name="Report (HTML)").click()
    assert "requirement" in Path(download.value.path()).read_text()

    groups = tmp_path / "groups.csv"
    groups.write_text("id,group\nalex,a\nsam,b\n")
    page.get_by_role("tab", name="3 · Fairness audit").click()
    page.locator("input[type=file]").nth(2).set_input_files([str(groups)])
    page.get_by_text("too few to judge").first.wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(DOCS / "app-audit.png"), full_page=False)
    with page.expect_download() as download:
        page.get_by_role("button", name="Audit (CSV)").click()
    assert "too few to judge" in Path(download.value.path()).read_text()


def test_thirty_resumes_rank_with_progress(page, tmp_path):
    """Time for 30 uploads is logged for the benchmark notes, not asserted."""
    folder = tmp_path / "many"
    folder.mkdir()
    skills = ["Python", "SQL", "statistics", "machine learning", "nursing care", "Java", "project management"]
    paths = []
    for i in range(30):
        path = folder / f"candidate{i:02d}.txt"
        path.write_text(f"Candidate {i}. Experience with {skills[i % 7]} and {skills[(i * 3) % 7]}; "
                        f"worked {i % 9 + 1} years as an analyst.")
        paths.append(str(path))
    _read_job(page)
    page.get_by_role("tab", name="2 · Candidates").click()
    page.locator("input[type=file]").nth(1).set_input_files(paths)
    page.get_by_text("30 files received").wait_for()
    page.get_by_text("candidate29.txt").wait_for()
    started = time.perf_counter()
    page.get_by_role("button", name="Rank candidates").click()
    caption = page.get_by_text("30 candidates ranked in")
    caption.wait_for()
    line = (f"browser: 30 resumes ranked; the page says '{caption.inner_text()}'; "
            f"{time.perf_counter() - started:.1f} s wall from the click")
    print(line)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "timings.txt").write_text(line + "\n")


def test_corrupt_file_shows_a_friendly_error(page, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    _read_job(page)
    page.get_by_role("tab", name="2 · Candidates").click()
    page.locator("input[type=file]").nth(1).set_input_files([str(broken)])
    page.get_by_text("1 file received").wait_for()
    page.get_by_text("broken.pdf").first.wait_for()
    page.get_by_role("button", name="Rank candidates").click()
    page.get_by_text("Could not read").wait_for()
    assert page.get_by_text("Traceback").count() == 0
    _shot(page, "3-error.png")
