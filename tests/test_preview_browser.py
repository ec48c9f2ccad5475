"""dist/preview.html in real headless Chromium: Debian's chromium, driven by selenium."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from deckwright.build import build
from deckwright.preview.page import page, write_preview
from tests.conftest import Project
from tests.test_preview import CARDS, covered_project, hostile_result

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1200,900",
)
# The frames' `.cloze` colours from package.CSS, as the browser reports them.
CLOZE_BLUE = "rgb(10, 88, 202)"
NIGHT_BACKGROUND = "rgb(31, 31, 34)"


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):  # .ci/run installs the browser: a skip there would hide a failure
            pytest.fail("CI has no chromium/chromedriver: .ci/run should have installed them")
        pytest.skip(
            "no browser: install Debian's chromium and chromium-driver"
            " (`apt-get install -y chromium chromium-driver`, as .ci/run does)"
        )
    profile = tempfile.mkdtemp(prefix="deckwright-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # The Service names the driver, so Selenium Manager never tries to download one.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(browser, path: Path) -> None:
    browser.get(path.resolve().as_uri())
    # Every frame loaded, sized and visible: the page's script has run on each of them.
    browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const ready = () => [...document.querySelectorAll("iframe.side")].every(
            (f) => f.contentDocument && f.contentDocument.body && f.offsetHeight > 20);
        (function wait() { ready() ? done() : setTimeout(wait, 50); })();
        """
    )


def in_frame(browser, index: int, script: str):
    """Run `script` (a function body) against the document of the index-th card frame."""
    return browser.execute_script(
        "const doc = document.querySelectorAll('iframe.side')[arguments[0]].contentDocument;"
        + script,
        index,
    )


@pytest.fixture
def motor_page(project: Project) -> Path:
    project.write({"cards/motor.yaml": CARDS})
    return project.root / write_preview(project.root, build(project.root))


def test_browser_shows_every_card_with_the_cloze_hidden_on_the_front(browser, motor_page, tmp_path):
    open_page(browser, motor_page)
    shot = tmp_path / "preview.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    assert browser.execute_script("return document.querySelectorAll('article.card').length") == 5
    assert browser.find_element("id", "count").text == "5 of 5 cards"
    # Frames 6 and 7 are the first cloze card's question and answer.
    front = in_frame(
        browser, 6, "return [doc.body.innerText, doc.querySelector('.cloze').innerText]"
    )
    assert front[1] == "[muscle change]" and "atrophy" not in front[0]
    back = in_frame(
        browser,
        7,
        "const c = doc.querySelector('.cloze');"
        " return [c.innerText, getComputedStyle(c).color, getComputedStyle(c).fontWeight]",
    )
    assert back == ["atrophy", CLOZE_BLUE, "600"]


def test_browser_shows_bold_field_text_as_bold(browser, motor_page):
    open_page(browser, motor_page)
    bold = in_frame(
        browser,
        0,
        "const b = doc.querySelector('b'); return [b.innerText, getComputedStyle(b).fontWeight]",
    )
    assert bold == ["upper", "700"]


def test_browser_shows_the_coverage_table_with_links_to_cards(browser, project: Project):
    root = covered_project(project)
    open_page(browser, root / write_preview(root, build(root, write=False)))
    table = browser.find_element("css selector", "#coverage table.coverage")
    assert table.is_displayed()
    states = browser.execute_script(
        "return [...document.querySelectorAll('#coverage tbody tr')].map(r => r.className)"
    )
    assert states == ["uncovered", "covered"]
    assert "not covered" in table.text and "covers: [motor#location]" in table.text
    browser.find_element("link text", "lmn-target").click()
    assert browser.execute_script("return location.hash") == "#note-lmn-target"


def test_browser_night_mode_toggle_switches_page_and_cards(browser, motor_page):
    open_page(browser, motor_page)
    body = "return [doc.body.className, getComputedStyle(doc.body).backgroundColor]"
    assert in_frame(browser, 0, body) == ["card card1", "rgb(255, 255, 255)"]
    browser.find_element("id", "night").click()
    assert browser.execute_script("return document.documentElement.className") == "night"
    assert in_frame(browser, 0, body) == ["card card1 nightMode night_mode", NIGHT_BACKGROUND]
    assert in_frame(browser, 3, body)[0] == "card card2 nightMode night_mode"
    browser.find_element("id", "night").click()
    assert in_frame(browser, 0, body)[0] == "card card1"


def test_browser_search_filters_cards_by_text_and_by_tag(browser, motor_page):
    open_page(browser, motor_page)
    search = browser.find_element("id", "search")
    visible = "return [...document.querySelectorAll('article.card')].filter(a => !a.hidden).length"
    search.send_keys("fasciculations")
    assert browser.execute_script(visible) == 2  # both cards of the cloze note
    search.clear()
    search.send_keys("tag:clinical")
    assert browser.execute_script(visible) == 1
    assert browser.find_element("id", "count").text == "1 of 5 cards"
    search.clear()
    search.send_keys("tag:neuro")  # a parent tag matches its children, as in Anki
    assert browser.execute_script(visible) == 5


def test_browser_runs_no_script_from_card_text(browser, tmp_path):
    target = tmp_path / "preview.html"
    target.write_text(page(hostile_result()), encoding="utf-8")
    open_page(browser, target)
    assert browser.execute_script("return document.querySelectorAll('article.card').length") == 11
    assert browser.execute_script("return window.pwned === undefined")
    hit = browser.execute_script(
        "return [...document.querySelectorAll('iframe.side')].filter("
        "f => f.contentWindow.pwned !== undefined).length"
    )
    assert hit == 0
    # The payload is there, as inert markup: the frames show it, nothing ran it.
    assert in_frame(browser, 0, "return doc.querySelectorAll('script').length") == 1
