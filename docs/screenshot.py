"""Refresh docs/preview.png: the shipped deck's preview in headless Chromium (Debian's packages).

Run from the repository root: python docs/screenshot.py
"""

import subprocess
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent

subprocess.run(["build-deck", "preview", str(ROOT)], check=True)
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1100,1300",
    f"--user-data-dir={tempfile.mkdtemp()}",
):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get((ROOT / "dist" / "preview.html").as_uri())
    driver.implicitly_wait(2)
    driver.save_screenshot(str(ROOT / "docs" / "preview.png"))
finally:
    driver.quit()
