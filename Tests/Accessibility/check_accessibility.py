#!/usr/bin/env python3
"""Accessibility check of the respondent and analyst pages in a real browser.

Starts `canvass serve` on a fresh database, drives headless Chromium (Debian's `chromium` and
`chromium-driver`, with `selenium` from PyPI) through whole questionnaires — English, Welsh, with an
error on the way — and runs axe-core 4 (its `axe.min.js` ships inside the `axe-playwright-python`
wheel) on every page, at 320 px and desktop widths. Fails on any WCAG 2.x A/AA or best-practice
violation, or on a page that scrolls sideways at 320 px. Screenshots go to Benchmarks/out/a11y/.

    pip install selenium axe-playwright-python && apt-get install chromium chromium-driver
    python3 Tests/Accessibility/check_accessibility.py
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Benchmarks", "out", "a11y")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_source():
    import axe_playwright_python
    return open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")).read()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Checker:
    def __init__(self, base, width, height):
        options = webdriver.ChromeOptions()
        for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
            options.add_argument(arg)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        self.driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
        # Headless windows have a minimum width; emulate the phone's viewport exactly instead.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        self.base, self.width, self.axe = base, width, axe_source()
        self.problems, self.pages = [], 0

    def check(self, name):
        self.pages += 1
        self.driver.execute_script(self.axe)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));",
            TAGS)
        for v in json.loads(result):
            targets = [n.get("target") for n in v.get("nodes", [])][:3]
            self.problems.append(f"{self.width}px {name}: {v['id']}: {v['help']} {targets}")
        overflow = self.driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        if self.width <= 320 and overflow > 0:
            self.problems.append(f"{self.width}px {name}: page scrolls sideways by {overflow}px")
        os.makedirs(OUT, exist_ok=True)
        self.driver.save_screenshot(os.path.join(OUT, f"{self.width}-{self.pages:02d}-{name}.png"))

    def go(self, path, name):
        self.driver.get(self.base + path)
        self.check(name)

    def click_continue(self):
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "form .button")
        if not buttons:
            raise RuntimeError(f"no form button on {self.driver.current_url}: {self.driver.find_element(By.TAG_NAME, 'h1').text}")
        self.driver.execute_script("window.canvassOldPage = true")
        buttons[0].click()
        # Wait for the next page, so the URL and content read afterwards are that page's.
        WebDriverWait(self.driver, 10, ignored_exceptions=(WebDriverException,)).until(self.new_page_loaded)

    @staticmethod
    def new_page_loaded(driver):
        return driver.execute_script("return window.canvassOldPage !== true && document.readyState === 'complete'")

    def answer_page(self, name):
        """Answers whatever question is shown with its first option or a plausible value."""
        self.check(name)
        radios = self.driver.find_elements(By.CSS_SELECTOR, "input[type=radio]")
        boxes = self.driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
        if radios:
            self.driver.find_element(By.CSS_SELECTOR, f"label[for='{radios[0].get_attribute('id')}']").click()
        elif boxes:
            self.driver.find_element(By.CSS_SELECTOR, f"label[for='{boxes[0].get_attribute('id')}']").click()
        elif self.driver.find_elements(By.ID, "answer-day"):
            for field, value in (("answer-day", "3"), ("answer-month", "4"), ("answer-year", "2026")):
                self.driver.find_element(By.ID, field).send_keys(value)
        elif self.driver.find_elements(By.ID, "answer"):
            field = self.driver.find_element(By.ID, "answer")
            field.send_keys("2" if field.get_attribute("inputmode") in ("decimal", "numeric") else "Hoxton")
        self.click_continue()

    def walk(self, token, label, make_error=True):
        self.go(f"/s/{token}", f"{label}-start")
        self.click_continue()
        if make_error:
            self.click_continue()  # submit the first question empty: error summary and message
            self.check(f"{label}-error")
        for step in range(40):
            if "/check" in self.driver.current_url:
                break
            self.answer_page(f"{label}-q{step + 1}")
        self.check(f"{label}-check")
        self.click_continue()
        self.check(f"{label}-done")
        self.go(f"/s/{token}", f"{label}-already")

    def close(self):
        self.driver.quit()


def main():
    subprocess.run(["swift", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "debug", "canvass")
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "a11y.sqlite")
    tokens = {}
    for label, questionnaire in (("poll", "rapid-poll-local-asb"), ("victim", "asb-victim-satisfaction"), ("uss", "user-satisfaction")):
        for width in (320, 1280):
            out = subprocess.run([binary, "invite", "--db", db, "--questionnaire", questionnaire, "--case", f"{label}-{width}",
                                  "--borough", "Hackney"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
            tokens[(label, width)] = re.search(r"token: (\w+)", out).group(1)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--db", db, "--port", str(port), "--access-log", os.path.join(tmp, "access.log")],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    problems, pages = [], 0
    try:
        for width, height in ((320, 640), (1280, 900)):
            checker = Checker(base, width, height)
            try:
                checker.walk(tokens[("poll", width)] + "?lang=cy", "poll-cy")
                checker.walk(tokens[("victim", width)], "victim")
                checker.walk(tokens[("uss", width)], "uss", make_error=False)
                checker.go("/p/rapid-poll-local-asb?ward=E05009367", "poll-start")
                checker.go("/analyst", "analyst-sign-in")
                checker.go("/s/00000000000000000000000000000000", "not-found")
            finally:
                checker.close()
            problems += checker.problems
            pages += checker.pages
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"axe-core checked {pages} page views at 320px and 1280px; screenshots in {OUT}")
    for problem in problems:
        print("VIOLATION", problem)
    if problems:
        sys.exit(1)
    print("no violations")


if __name__ == "__main__":
    main()
