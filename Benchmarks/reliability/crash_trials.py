#!/usr/bin/env python3
"""Crash durability (issue #10, part 1): kill -9 at a random moment, then check nothing was lost.

    Benchmarks/reliability/crash_trials.py [--trials 20] [--seed S] [--bin .build/release/canvass]

Server trials: `canvass serve` on a fresh database with invitations; 16 concurrent respondents
answer and complete the rapid poll over keep-alive connections, recording every answer that got
its 303. The server is killed with SIGKILL at a random moment, restarted on the same database,
then checked:
  - every acknowledged answer is stored (the stored value is the last acknowledged one, or the
    one in flight when the server died: a commit may land without its 303 getting out);
  - every acknowledged submission is stored as complete;
  - `canvass verify` (integrity check, foreign keys, analysis table against a recomputation)
    passes, and the restarted server answers.
Command trials: `import responses`, `import cases` and `retain` (erasure of many responses) are
killed mid-way; afterwards the database holds all of the command's work or none of it, and
`canvass verify` passes.

Only loopback is used. Prints the seed; the same seed gives the same kill moments.
"""
import argparse
import csv
import http.client
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

QUESTIONNAIRE = "rapid-poll-local-asb"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class Respondent(threading.Thread):
    """Answers and completes invitations one after another until the server goes away."""

    def __init__(self, port, tokens, rng, ledger):
        super().__init__(daemon=True)
        self.port, self.tokens, self.rng, self.ledger = port, tokens, rng, ledger

    def run(self):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            for token in self.tokens:
                self.complete(conn, token)
        except (OSError, http.client.HTTPException):
            return  # the server was killed

    def request(self, conn, method, path, form=None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Location", ""), response.read().decode()

    def answer(self, conn, token, csrf, question, values):
        self.ledger.in_flight(token, question, values)
        status, location, _ = self.request(conn, "POST", f"/s/{token}/q/{question}", {"csrf": csrf, "answer": values})
        if status != 303:
            raise RuntimeError(f"POST {question} for {token[:6]}…: {status}")
        self.ledger.acknowledged(token, question, values)
        return location

    def complete(self, conn, token):
        _, _, page = self.request(conn, "GET", f"/s/{token}")
        csrf = CSRF.search(page).group(1)
        status, _, _ = self.request(conn, "POST", f"/s/{token}/start", {"csrf": csrf})
        if status != 303:
            raise RuntimeError(f"start: {status}")
        # Change the first answer a few times (each a durable save), then go on.
        for _ in range(self.rng.randint(1, 3)):
            problem = self.rng.choice(["yes", "no", "dont_know"])
            self.answer(conn, token, csrf, "asb_problem", [problem])
        if problem == "yes":
            kinds = sorted(self.rng.sample(["noise", "groups", "drugs", "vandalism"], self.rng.randint(1, 3)))
            self.answer(conn, token, csrf, "asb_kinds", kinds)
        self.answer(conn, token, csrf, "confidence", [self.rng.choice(["very", "fairly", "not_very"])])
        self.answer(conn, token, csrf, "ward", [f"Ward {self.rng.randint(1, 9)}"])
        self.ledger.submitting(token)
        status, location, _ = self.request(conn, "POST", f"/s/{token}/check", {"csrf": csrf})
        if status != 303 or not location.endswith("/done"):
            raise RuntimeError(f"submit: {status} {location}")
        self.ledger.completed(token)


class Ledger:
    """What the server acknowledged, and what was in flight when it died."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = {}   # (token, question) -> values acknowledged last
        self.flight = {}    # (token, question) -> values sent, not yet acknowledged
        self.done = set()
        self.submitted = set()

    def in_flight(self, token, question, values):
        with self.lock:
            self.flight[(token, question)] = values

    def acknowledged(self, token, question, values):
        with self.lock:
            self.answers[(token, question)] = values
            self.flight.pop((token, question), None)

    def submitting(self, token):
        with self.lock:
            self.submitted.add(token)

    def completed(self, token):
        with self.lock:
            self.done.add(token)


def wait_healthy(port, process, deadline=15):
    end = time.time() + deadline
    while time.time() < end:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not become healthy")


def run(args, *command, check=True, **kw):
    result = subprocess.run([args.bin, *command], capture_output=True, text=True, **kw)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: exit {result.returncode}: {result.stderr.strip()}")
    return result


def verify(args, db):
    result = run(args, "verify", "--db", db, check=False)
    integrity = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
    return result.returncode == 0 and integrity == "ok", (result.stdout + result.stderr).strip()[-300:]


def bulk_invite(args, db, folder, count, prefix):
    """Invitations through the bulk path: closed cases, then one invitation each."""
    cases = os.path.join(folder, f"{prefix}-cases.csv")
    with open(cases, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case_ref", "borough", "ward", "opened", "closed", "channel", "repeat_victim",
                    "vulnerable_victim", "highest_stage", "outcome"])
        for i in range(count):
            w.writerow([f"{prefix}-{i}", "Hackney", "Hoxton East", "2026-01-05", "2026-02-20", "online",
                        "false", "false", "warning-1", "resolved"])
    run(args, "import", "cases", cases, "--db", db)
    out = os.path.join(folder, f"{prefix}-invitations.csv")
    run(args, "invite", "--db", db, "--questionnaire", QUESTIONNAIRE, "--cases-closed-since", "2026-01-01", "--out", out)
    with open(out) as f:
        return [row["token"] for row in csv.DictReader(f)]


def stored_answers(db):
    conn = sqlite3.connect(db)
    rows = conn.execute("""
        SELECT i.case_ref, a.question_id, a.value, r.status FROM answers a
        JOIN responses r ON r.id = a.response_id JOIN invitations i ON i.id = r.invitation_id
        ORDER BY a.ordinal""").fetchall()
    answers, status = {}, {}
    for case_ref, question, value, state in rows:
        answers.setdefault((case_ref, question), []).append(value)
        status[case_ref] = state
    return answers, status


def server_trial(args, rng, folder, trial, port):
    db = os.path.join(folder, f"serve-{trial}.sqlite")
    tokens = bulk_invite(args, db, folder, 2000, f"T{trial}")
    with open(os.path.join(folder, f"T{trial}-invitations.csv")) as f:
        case_of = {row["token"]: row["case_ref"] for row in csv.DictReader(f)}
    serve = [args.bin, "serve", "--db", db, "--port", str(port), "--access-log", "/dev/null"]
    server = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_healthy(port, server)
    ledger = Ledger()
    share = len(tokens) // 16
    workers = [Respondent(port, tokens[i * share:(i + 1) * share], random.Random(rng.random()), ledger) for i in range(16)]
    for w in workers:
        w.start()
    moment = rng.uniform(0.3, 4.0)
    time.sleep(moment)
    server.send_signal(signal.SIGKILL)
    server.wait()
    for w in workers:
        w.join(timeout=15)
    answers, status = stored_answers(db)
    lost, missing_complete = [], []
    for (token, question), values in ledger.answers.items():
        stored = answers.get((case_of[token], question))
        allowed = [values] + ([ledger.flight[(token, question)]] if (token, question) in ledger.flight else [])
        if stored is None or sorted(stored) not in [sorted(v) for v in allowed]:
            # A later answer by the same respondent (acknowledged or in flight) may have hidden
            # this one by branching (asb_kinds after asb_problem changed): that is not a loss.
            if question == "asb_kinds" and answers.get((case_of[token], "asb_problem")) != ["yes"]:
                continue
            lost.append((token[:6], question, values, stored))
    for token in ledger.done:
        if status.get(case_of[token]) != "complete":
            missing_complete.append(token[:6])
    ok, detail = verify(args, db)
    # Restart on the same database and check it serves.
    server = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_healthy(port, server)
        restarted = True
    except RuntimeError:
        restarted = False
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)
    acked = len(ledger.answers)
    print(f"serve trial {trial + 1:2}: killed at {moment:.2f} s; {acked} acknowledged answers, "
          f"{len(ledger.done)} acknowledged completions; lost {len(lost)}, completions lost "
          f"{len(missing_complete)}; verify {'ok' if ok else 'FAILED'}; restart {'ok' if restarted else 'FAILED'}")
    if lost or missing_complete or not ok or not restarted:
        print("   ", lost[:5], missing_complete[:5], detail)
        return False
    return acked > 0


def count(db, sql):
    return sqlite3.connect(db).execute(sql).fetchone()[0]


def command_trial(args, rng, folder, name, trial, prepare, command, measure):
    """Runs `command` on a prepared database, kills it at a random moment, checks all-or-nothing."""
    db = os.path.join(folder, f"{name}-{trial}.sqlite")
    prepare(db)
    before = measure(db)
    started = time.time()
    process = subprocess.Popen([args.bin, *command(db)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    moment = rng.uniform(0.05, args.command_window[name] * 1.05)
    while time.time() - started < moment and process.poll() is None:
        time.sleep(0.01)
    finished_first = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = measure(db)
    ok, detail = verify(args, db)
    complete = args.expected[name](before, after)
    outcome = "finished before the kill" if finished_first else ("all" if complete else ("none" if after == before else "PART"))
    good = ok and (complete or after == before) and (complete if finished_first else True)
    print(f"{name} trial {trial + 1:2}: killed at {moment:.2f} s: {outcome} (before {before}, after {after}); verify {'ok' if ok else 'FAILED'}")
    if not good:
        print("   ", detail)
    return good, finished_first


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(1 << 32))
    parser.add_argument("--bin", default=".build/release/canvass")
    parser.add_argument("--port", type=int, default=18090)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)
    print(f"crash_trials: seed {args.seed} (replay with --seed {args.seed})")
    rng = random.Random(args.seed)
    folder = tempfile.mkdtemp(prefix="canvass-crash-")
    failures = 0
    try:
        served = sum(server_trial(args, rng, folder, t, args.port) for t in range(args.trials))
        failures += args.trials - served

        # Material for the command trials, made once.
        responses_csv = os.path.join(folder, "responses.csv")
        subprocess.run([sys.executable, "Benchmarks/generate_victim_responses.py", "60000", responses_csv], check=True)
        cases_csv = os.path.join(folder, "cases.csv")
        with open(cases_csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["case_ref", "borough", "ward", "opened", "closed", "channel", "repeat_victim",
                        "vulnerable_victim", "highest_stage", "outcome", "complaints_6m", "case_review", "do_not_contact"])
            for i in range(200000):
                w.writerow([f"BULK-{i}", "E09000012", f"Ward {i % 20}", "2025-03-01", "2025-06-01" if i % 3 else "",
                            "phone-101", str(i % 5 == 0).lower(), str(i % 7 == 0).lower(), "cpw", "resolved",
                            i % 6, "none", "false"])
        demo = os.path.join(folder, "demo-base.sqlite")
        run(args, "demo", "--db", demo, "--responses", "60000", "--seed", "7")

        def copy_demo(db):
            conn = sqlite3.connect(demo)
            target = sqlite3.connect(db)
            conn.backup(target)
            target.close()

        # How long each command takes uninterrupted: kill moments fall within it.
        args.command_window = {}
        for name, command in [("import-responses", lambda db: ["import", "responses", responses_csv, "--db", db, "--questionnaire", "asb-victim-satisfaction"]),
                              ("import-cases", lambda db: ["import", "cases", cases_csv, "--db", db]),
                              ("retain", lambda db: ["retain", "--db", db, "--older-than", "12m"])]:
            db = os.path.join(folder, f"time-{name}.sqlite")
            copy_demo(db)
            started = time.time()
            run(args, *command(db))
            args.command_window[name] = time.time() - started
            print(f"{name}: {args.command_window[name]:.2f} s uninterrupted")

        responses = "SELECT count(*) FROM responses"
        cases = "SELECT count(*) FROM cases"
        args.expected = {
            "import-responses": lambda b, a: a == b + 60000,
            "import-cases": lambda b, a: a == b + 200000,
            "retain": lambda b, a: a < b,
        }
        retained = count(os.path.join(folder, "time-retain.sqlite"), responses)
        args.expected["retain"] = lambda b, a: a == retained
        plans = [
            ("import-responses", lambda db: ["import", "responses", responses_csv, "--db", db, "--questionnaire", "asb-victim-satisfaction"], lambda db: count(db, responses)),
            ("import-cases", lambda db: ["import", "cases", cases_csv, "--db", db], lambda db: count(db, cases)),
            ("retain", lambda db: ["retain", "--db", db, "--older-than", "12m"], lambda db: count(db, responses)),
        ]
        for name, command, measure in plans:
            interrupted = 0
            for t in range(args.trials):
                good, finished_first = command_trial(args, rng, folder, name, t, copy_demo, command, measure)
                failures += 0 if good else 1
                interrupted += 0 if finished_first else 1
                os.remove(os.path.join(folder, f"{name}-{t}.sqlite"))
            print(f"{name}: {interrupted} of {args.trials} kills landed mid-way")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"crash_trials: {failures} failed trials (seed {args.seed})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
