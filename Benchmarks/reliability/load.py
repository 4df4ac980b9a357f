#!/usr/bin/env python3
"""Steady mixed load (issue #10, part 7): respondents, poll voters and analysts together.

    Benchmarks/reliability/load.py [--minutes 42] [--warmup 12] [--respondents 3] [--voters 2] [--analysts 1]

Builds the demo database (default size), adds closed cases with invitations for the respondents,
and starts `canvass serve`. Then, at a steady rate per second, it starts:
  - respondents: open an invitation, answer the rapid poll question by question, submit;
  - poll voters: open the public poll (each from its own address, through --trusted-proxy),
    answer it and submit;
  - analysts: the dashboard for a measure and period, its CSV, or a borough's report.
Each is a session on its own keep-alive connection, run by a pool of threads. Every status is
checked (200 or 303 where expected). The server's resident memory (VmRSS) is sampled every 10 s.
Passes when there are no errors and, after the warm-up, memory grows by no more than 10%
(the largest sample against the first after warm-up). Prints a line a minute.
"""
import argparse
import concurrent.futures
import csv
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
MEASURES = ["local_area", "call_handling", "own_incident", "information"]
PERIODS = ["2025", "2026", "2025-Q3", "2026-Q1", "2026-Q2", ""]


class Session:
    def __init__(self, port, forwarded=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}
        self.forwarded = forwarded

    def call(self, method, path, form=None, expect=(200, 303), headers=None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        h = dict(headers or {})
        if form is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded:
            h["X-Forwarded-For"] = self.forwarded
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";")[0].partition("=")
                self.cookies[k] = v
        if r.status not in expect:
            raise RuntimeError(f"{method} {path}: {r.status}")
        return r.status, r.getheader("Location", ""), text

    def answer_poll(self, token, csrf, rng):
        problem = rng.choice(["yes", "no", "dont_know"])
        self.call("POST", f"/s/{token}/q/asb_problem", {"csrf": csrf, "answer": problem})
        if problem == "yes":
            self.call("GET", f"/s/{token}/q/asb_kinds")
            self.call("POST", f"/s/{token}/q/asb_kinds", {"csrf": csrf, "answer": rng.sample(["noise", "groups", "drugs"], 2)})
        self.call("GET", f"/s/{token}/q/confidence")
        self.call("POST", f"/s/{token}/q/confidence", {"csrf": csrf, "answer": rng.choice(["very", "fairly", "not_very"])})
        self.call("GET", f"/s/{token}/q/ward")
        self.call("POST", f"/s/{token}/q/ward", {"csrf": csrf, "answer": f"Ward {rng.randint(1, 20)}"})
        self.call("GET", f"/s/{token}/check")
        _, location, _ = self.call("POST", f"/s/{token}/check", {"csrf": csrf})
        if not location.endswith("/done"):
            raise RuntimeError(f"submit went to {location}")
        self.call("GET", f"/s/{token}/done")


def respondent(port, token, rng):
    s = Session(port)
    _, _, page = s.call("GET", f"/s/{token}")
    csrf = CSRF.search(page).group(1)
    s.call("POST", f"/s/{token}/start", {"csrf": csrf})
    s.call("GET", f"/s/{token}/q/asb_problem")
    s.answer_poll(token, csrf, rng)
    return "respondent"


def voter(port, index, rng):
    s = Session(port, forwarded=f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}")
    ward = f"E0500{rng.randint(9000, 9400)}"
    _, _, page = s.call("GET", f"/p/rapid-poll-local-asb?ward={ward}")
    csrf = CSRF.search(page).group(1)
    _, location, _ = s.call("POST", "/p/rapid-poll-local-asb", {"csrf": csrf, "ward": ward})
    token = location.rstrip("/").split("/s/")[1].split("/")[0]
    _, location, page = s.call("GET", f"/s/{token}")
    if "csrf" not in page:
        _, _, page = s.call("GET", urllib.parse.urlparse(location).path or f"/s/{token}/q/asb_problem")
    csrf = CSRF.search(page).group(1)
    s.answer_poll(token, csrf, rng)
    return "voter"


def analyst(port, secret, boroughs, rng):
    s = Session(port)
    auth = {"Authorization": f"Bearer {secret}"}
    q = "asb-victim-satisfaction"
    period = rng.choice(PERIODS)
    measure = rng.choice(MEASURES)
    kind = rng.random()
    if kind < 0.6:
        s.call("GET", f"/analyst?questionnaire={q}&measure={measure}" + (f"&period={period}" if period else ""), headers=auth, expect=(200,))
    elif kind < 0.8:
        s.call("GET", f"/analyst/comparison.csv?questionnaire={q}&measure={measure}" + (f"&period={period}" if period else ""), headers=auth, expect=(200,))
    elif kind < 0.9:
        s.call("GET", "/analyst/polls.csv", headers=auth, expect=(200,))
    else:
        borough = urllib.parse.quote(rng.choice(boroughs))
        s.call("GET", f"/analyst/report?questionnaire={q}&borough={borough}", headers=auth, expect=(200,))
    return "analyst"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=42)
    parser.add_argument("--warmup", type=float, default=12, help="minutes while bounded caches fill (they plateau by about the 11th)")
    parser.add_argument("--respondents", type=float, default=3, help="respondent sessions started per second")
    parser.add_argument("--voters", type=float, default=2, help="poll sessions started per second")
    parser.add_argument("--analysts", type=float, default=1, help="analyst page views per second")
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(1 << 32))
    parser.add_argument("--bin", default=".build/release/canvass")
    parser.add_argument("--port", type=int, default=18095)
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    rng = random.Random(args.seed)
    print(f"load: seed {args.seed}; {args.minutes} min, warm-up {args.warmup} min; per second: "
          f"{args.respondents} respondents, {args.voters} voters, {args.analysts} analyst views", flush=True)
    folder = tempfile.mkdtemp(prefix="canvass-load-")
    db = os.path.join(folder, "load.sqlite")
    subprocess.run([binary, "demo", "--db", db, "--seed", "3"], check=True, capture_output=True)
    needed = int(args.respondents * args.minutes * 60) + 100
    cases = os.path.join(folder, "cases.csv")
    with open(cases, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case_ref", "borough", "ward", "opened", "closed", "channel", "repeat_victim", "vulnerable_victim", "highest_stage", "outcome"])
        for i in range(needed):
            w.writerow([f"LOAD-{i}", "Hackney", "Hoxton East", "2026-11-01", "2026-11-20", "online", "false", "false", "cpw", "resolved"])
    subprocess.run([binary, "import", "cases", cases, "--db", db], check=True, capture_output=True)
    out = os.path.join(folder, "invitations.csv")
    subprocess.run([binary, "invite", "--db", db, "--questionnaire", "rapid-poll-local-asb", "--cases-closed-since", "2026-11-15", "--out", out], check=True, capture_output=True)
    with open(out) as f:
        tokens = [row["token"] for row in csv.DictReader(f) if row["case_ref"].startswith("LOAD-")]
    boroughs = [row["name"] for row in csv.DictReader(open("Fixtures/boroughs.csv"))]
    server = subprocess.Popen([binary, "serve", "--db", db, "--port", str(args.port), "--access-log", "/dev/null", "--trusted-proxy", "127.0.0.1"],
                              stdout=subprocess.PIPE, stderr=open(os.path.join(folder, "serve.err"), "w"), text=True)
    secret = None
    for line in server.stdout:
        if line.startswith("Analyst secret"):
            secret = line.rsplit(": ", 1)[1].strip()
        if line.startswith("Canvass is listening"):
            break
    threading.Thread(target=lambda: server.stdout.read(), daemon=True).start()
    errors, counts, lock = [], {}, threading.Lock()

    def done(future):
        with lock:
            try:
                kind = future.result()
                counts[kind] = counts.get(kind, 0) + 1
            except Exception as error:  # noqa: BLE001 - every failure is reported
                errors.append(repr(error))

    samples = []
    try:
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=24)
        started = time.time()
        end = started + args.minutes * 60
        next_sample = started
        next_report = started + 60
        rates = [("respondent", args.respondents), ("voter", args.voters), ("analyst", args.analysts)]
        due = {kind: started for kind, _ in rates}
        issued = {kind: 0 for kind, _ in rates}
        while time.time() < end:
            now = time.time()
            for kind, rate in rates:
                while rate > 0 and due[kind] <= now:
                    seed = rng.random()
                    if kind == "respondent":
                        if issued[kind] >= len(tokens):
                            break
                        f = pool.submit(respondent, args.port, tokens[issued[kind]], random.Random(seed))
                    elif kind == "voter":
                        f = pool.submit(voter, args.port, issued[kind], random.Random(seed))
                    else:
                        f = pool.submit(analyst, args.port, secret, boroughs, random.Random(seed))
                    f.add_done_callback(done)
                    issued[kind] += 1
                    due[kind] += 1 / rate
            if now >= next_sample:
                if server.poll() is not None:
                    errors.append("the server exited")
                    break
                samples.append((now - started, rss_kib(server.pid)))
                next_sample += 10
            if now >= next_report:
                with lock:
                    print(f"  {int((now - started) / 60):3} min: {dict(counts)}, errors {len(errors)}, RSS {samples[-1][1] / 1024:.1f} MiB, pool backlog {pool._work_queue.qsize()}", flush=True)
                next_report += 60
            time.sleep(0.01)
        pool.shutdown(wait=True)
        after = [kib for t, kib in samples if t >= args.warmup * 60]
        if not after:
            after = [samples[-1][1]]
        growth = max(after) / after[0] - 1
        print(f"sessions: {dict(counts)}; errors {len(errors)}")
        print(f"RSS: {samples[0][1] / 1024:.1f} MiB at start, {after[0] / 1024:.1f} MiB after warm-up, "
              f"max {max(after) / 1024:.1f} MiB, last {after[-1] / 1024:.1f} MiB: growth after warm-up {growth * 100:+.1f}% (limit +10%)")
        for e in errors[:10]:
            print("ERROR:", e)
        good = not errors and growth <= 0.10
        print("load: " + ("passed" if good else "FAILED") + f" (seed {args.seed})")
        with open(os.path.join("Benchmarks", "out", "load-rss.csv"), "w") as f:
            f.write("seconds,rss_kib\n" + "".join(f"{t:.0f},{k}\n" for t, k in samples))
        sys.exit(0 if good else 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        with open(os.path.join(folder, "serve.err")) as f:
            stopped = [line.strip() for line in f if line.startswith("Stopped")]
        print("server: " + (stopped[-1] if stopped else "no stop line"))
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
