#!/usr/bin/env python3
"""Slow and idle clients (issue #10, part 3).

    Benchmarks/reliability/slow_clients.py [--slow 1000] [--seconds 60] [--respondents 8] [--bin …]

Starts `canvass serve` on loopback and holds --slow connections open against it: half send a
request's headers one byte at a time (a byte every 0.5 s: slowloris), half connect and send
nothing. When the server closes one (its header timeout), it reconnects, so the number held
stays near --slow. Meanwhile --respondents normal clients complete the rapid poll over keep-alive
connections, one after another, timing every request. Reports how many slow connections were
held, the respondents' latency percentiles and any failed request. Target: p99 under 100 ms.
"""
import argparse
import asyncio
import http.client
import multiprocessing
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def raise_file_limit():
    """Enough descriptors for the slow connections (the hard limit allows it here)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def slow_connection(port, index, stop, held):
    header = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-" + str(index).encode() + b"\r\nX-Pad: " + b"x" * 200 + b"\r\n\r\n"
    idle = index % 2 == 1
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        held[0] += 1
        try:
            position = 0
            while not stop.is_set():
                if reader.at_eof():
                    break
                if not idle and position < len(header):
                    writer.write(header[position:position + 1])
                    await writer.drain()
                    position += 1
                try:
                    data = await asyncio.wait_for(reader.read(4096), timeout=0.5)
                    if not data:
                        break  # closed by the server: reconnect
                except asyncio.TimeoutError:
                    pass
        except OSError:
            pass
        finally:
            held[0] -= 1
            writer.close()


def slow_process(port, count, seconds, report):
    raise_file_limit()

    async def main():
        stop, held = asyncio.Event(), [0]
        tasks = [asyncio.create_task(slow_connection(port, i, stop, held)) for i in range(count)]
        samples = []
        end = time.time() + seconds
        while time.time() < end:
            await asyncio.sleep(1)
            samples.append(held[0])
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        report.put(samples)

    asyncio.run(main())


def respondent(port, tokens, latencies, failures, stop):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def call(method, path, form=None):
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        latencies.append(time.perf_counter() - started)
        if response.status not in (200, 303):
            failures.append(f"{method} {path}: {response.status}")
        return text

    for token in tokens:
        if stop.is_set():
            return
        try:
            csrf = CSRF.search(call("GET", f"/s/{token}")).group(1)
            call("POST", f"/s/{token}/start", {"csrf": csrf})
            for question, answer in (("asb_problem", "yes"), ("asb_kinds", ["noise", "groups"]), ("confidence", "fairly"), ("ward", "Hoxton")):
                call("GET", f"/s/{token}/q/{question}")
                call("POST", f"/s/{token}/q/{question}", {"csrf": csrf, "answer": answer})
            call("GET", f"/s/{token}/check")
            call("POST", f"/s/{token}/check", {"csrf": csrf})
        except (OSError, http.client.HTTPException, AttributeError) as error:
            failures.append(f"{token[:6]}: {error!r}")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--respondents", type=int, default=8)
    parser.add_argument("--bin", default=".build/release/canvass")
    parser.add_argument("--port", type=int, default=18092)
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    folder = tempfile.mkdtemp(prefix="canvass-slow-")
    db = os.path.join(folder, "slow.sqlite")
    cases = os.path.join(folder, "cases.csv")
    with open(cases, "w") as f:
        f.write("case_ref,borough,ward,opened,closed,channel,repeat_victim,vulnerable_victim,highest_stage,outcome\n")
        for i in range(80000):
            f.write(f"S{i},Hackney,Hoxton East,2026-01-05,2026-02-20,online,false,false,cpw,resolved\n")
    subprocess.run([binary, "import", "cases", cases, "--db", db], check=True, capture_output=True)
    out = os.path.join(folder, "invitations.csv")
    subprocess.run([binary, "invite", "--db", db, "--questionnaire", "rapid-poll-local-asb", "--cases-closed-since", "2026-01-01", "--out", out], check=True, capture_output=True)
    tokens = [line.split(",")[1] for line in open(out).read().splitlines()[1:]]
    raise_file_limit()
    server = subprocess.Popen([binary, "serve", "--db", db, "--port", str(args.port), "--access-log", "/dev/null"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)

        def run_respondents(seconds):
            latencies, failures, stop = [], [], threading.Event()
            share = len(tokens) // (2 * args.respondents)
            offset = run_respondents.offset
            threads = [threading.Thread(target=respondent, args=(args.port, tokens[offset + i * share: offset + (i + 1) * share], latencies, failures, stop), daemon=True)
                       for i in range(args.respondents)]
            run_respondents.offset += share * args.respondents
            for t in threads:
                t.start()
            time.sleep(seconds)
            stop.set()
            for t in threads:
                t.join()
            return sorted(latencies), failures
        run_respondents.offset = 0

        def summary(latencies):
            pick = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000
            return f"{len(latencies)} requests, p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms, max {latencies[-1] * 1000:.1f} ms"

        idle, idle_failures = run_respondents(min(20, args.seconds))
        print(f"respondents alone:        {summary(idle)}; failures {len(idle_failures)}")
        report = multiprocessing.Queue()
        slow = multiprocessing.Process(target=slow_process, args=(args.port, args.slow, args.seconds + 10, report))
        slow.start()
        time.sleep(10)  # let the slow connections pile up
        loaded, failures = run_respondents(args.seconds)
        samples = report.get()
        slow.join()
        held = samples[10:-1] or samples
        print(f"slow connections held:    min {min(held)}, mean {sum(held) / len(held):.0f}, max {max(held)} of {args.slow}")
        print(f"respondents beside them:  {summary(loaded)}; failures {len(failures)}")
        for f in failures[:10]:
            print("FAILURE:", f)
        alive = server.poll() is None
        p99 = loaded[int(len(loaded) * 0.99)] * 1000
        good = alive and not failures and p99 < 100 and min(held) >= args.slow * 0.9
        print(f"slow_clients: {'passed' if good else 'FAILED'} (p99 {p99:.1f} ms against 100 ms; server alive {alive})")
        sys.exit(0 if good else 1)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
