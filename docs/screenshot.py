"""Refresh docs/preview.png: the shipped deck's preview in headless Chromium (Debian's packages).

Run from the repository root: python docs/screenshot.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_preview_browser import CHROMEDRIVER, CHROMIUM, FLAGS  # noqa: E402

subprocess.run(["build-deck", "preview", str(ROOT)], check=True)
options = webdriver.ChromeOptions()
options.binary_location = str(CHROMIUM)
for flag in (*FLAGS, "--window-size=1100,1300", f"--user-data-dir={tempfile.mkdtemp()}"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
try:
    driver.get((ROOT / "dist" / "preview.html").as_uri())
    driver.implicitly_wait(2)
    driver.save_screenshot(str(ROOT / "docs" / "preview.png"))
finally:
    driver.quit()
