#!/usr/bin/env python3
"""A real full disk and a read-only file system under `canvass serve` (issue #10, part 6).

    sudo Benchmarks/reliability/disk_full.py [--bin .build/release/canvass]

Mounts a 16 MiB tmpfs (needs root; where mounting is not allowed, the suite's DiskFullTests
does the same with PRAGMA max_page_count), puts the database on it, and starts the server with
respondents part-way through. Then:
  1. fills the file system with a filler file until ENOSPC, and posts answers: each must be
     acknowledged (it fitted in pages the files already had) or a 503 page that still shows what
     was typed, with the server up and every acknowledged answer intact (`canvass verify`, integrity check);
  2. deletes the filler: the refused posts, sent again, succeed;
  3. stops the server and runs `canvass verify`.
A read-only remount is refused by the kernel while the server holds the files open for writing,
so the read-only database is covered in the suite (RespondentFlowTests, PRAGMA query_only).
"""
import argparse
import http.client
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

import harness

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, form=None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read().decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release/canvass")
    parser.add_argument("--port", type=int, default=18093)
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    if os.geteuid() != 0:
        print("disk_full: needs root to mount a tmpfs; the suite's DiskFullTests covers the same with max_page_count")
        sys.exit(2)
    mount = tempfile.mkdtemp(prefix="canvass-disk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount], check=True)
    server = None
    failures = []

    def check(condition, what):
        print(("  ok    " if condition else "  FAIL  ") + what)
        if not condition:
            failures.append(what)

    try:
        db = os.path.join(mount, "canvass.sqlite")
        tokens = harness.invite(binary, db, 30, "DF")
        server = harness.serve(binary, db, args.port, os.path.join(tempfile.gettempdir(), "disk_full.serve.err"))
        respondents = []
        for token in tokens:
            c = Client(args.port)
            csrf = CSRF.search(c.call("GET", f"/s/{token}")[1]).group(1)
            c.call("POST", f"/s/{token}/start", {"csrf": csrf})
            respondents.append((token, c, csrf))
        acknowledged = {}
        for token, c, csrf in respondents[:10]:
            status, _ = c.call("POST", f"/s/{token}/q/asb_problem", {"csrf": csrf, "answer": "no"})
            if status == 303:
                acknowledged[token] = "no"
        check(len(acknowledged) == 10, f"before: 10 answers acknowledged ({len(acknowledged)})")

        def fill():
            with open(os.path.join(mount, "filler"), "wb") as f:
                try:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
                except OSError:
                    pass
            print(f"  disk: {shutil.disk_usage(mount).free} bytes free")

        queue = [(i, q) for i in range(10, len(respondents)) for q in ("asb_problem", "confidence", "ward")]
        answer_of = {"asb_problem": "no", "confidence": "fairly"}

        def post(i, question, typed=None):
            token, c, csrf = respondents[i]
            typed = typed or answer_of.get(question) or f"Ward {i} noise every night"
            status, page = c.call("POST", f"/s/{token}/q/{question}", {"csrf": csrf, "answer": typed})
            if status == 303:
                acknowledged[(token, question)] = typed
            shown = f'value="{typed}"' in page and "could not save your answer" in page
            return status, shown

        def up(label):
            status, _ = Client(args.port).call("GET", "/healthz")
            check(status == 200 and server.poll() is None, f"{label}: the server is up")

        def intact(label):
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            stored = dict(conn.execute("""SELECT i.token_hash || a.question_id, a.value FROM answers a
                JOIN responses r ON r.id = a.response_id JOIN invitations i ON i.id = r.invitation_id""").fetchall())
            conn.close()
            import hashlib
            missing = 0
            for key, value in acknowledged.items():
                token, question = key if isinstance(key, tuple) else (key, "asb_problem")
                if stored.get(hashlib.sha256(token.encode()).hexdigest() + question) != value:
                    missing += 1
            check(integrity == "ok" and missing == 0, f"{label}: integrity {integrity}, {len(acknowledged)} acknowledged answers, {missing} missing")

        print("1. file system full")
        fill()
        # Writes that fit in pages the files already have still succeed; post new answers until
        # one needs room, then a few more.
        refused, statuses, after, later = [], [], 0, []
        while queue and after < 6:
            i, question = queue.pop(0)
            if any(r[0] == i for r in refused):
                later.append((i, question))  # a respondent whose answer was refused goes no further
                continue
            status, shown = post(i, question)
            statuses.append(status)
            if status != 303:
                refused.append((i, question, status, shown))
            if refused:
                after += 1
        print(f"  statuses in order: {statuses}")
        print(f"  {statuses.count(303)} posts fitted in the space the files had, then {len(refused)} refused")
        check(bool(refused) and all(s == 503 for _, _, s, _ in refused), f"full: refused posts answered 503 ({[s for _, _, s, _ in refused]})")
        check(all(shown for *_, shown in refused), "full: every 503 page shows what was typed")
        up("full")
        intact("full")
        print("2. space returns")
        os.remove(os.path.join(mount, "filler"))
        again = [post(i, question)[0] for i, question, _, _ in refused]
        check(again and all(s == 303 for s in again), f"space again: the refused posts now succeed ({sorted(set(again))})")
        rest = [post(i, question)[0] for i, question in later + queue]
        check(all(s == 303 for s in rest), f"space again: {len(rest)} more posts succeed")
        up("space again")
        intact("space again")
        server.terminate()
        server.wait(timeout=30)
        server = None
        result = subprocess.run([binary, "verify", "--db", db], capture_output=True, text=True)
        check(result.returncode == 0, "canvass verify after the run: " + (result.stdout.strip().splitlines() or [""])[-1])
        intact("at the end")
    finally:
        if server is not None:
            server.kill()
            server.wait()
        subprocess.run(["umount", "-l", mount])
        os.rmdir(mount)
    print("disk_full: " + ("passed" if not failures else f"FAILED ({len(failures)})"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
