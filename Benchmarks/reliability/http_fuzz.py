#!/usr/bin/env python3
"""Malformed HTTP over real sockets (issue #10, part 2).

    Benchmarks/reliability/http_fuzz.py [--requests 1000000] [--seed S] [--workers 3] [--bin …]

Starts `canvass serve` on loopback with a few invitations and sends structure-aware hostile
requests: broken request lines, methods, targets and versions; bad, huge, folded, duplicated and
conflicting headers; broken chunk sizes and bodies; invalid UTF-8 and percent escapes; huge
values; and pipelining (up to 8 requests per write, a hostile one among valid ones). After each
connection's bytes are sent, the write side is closed; the server must answer every request it
could parse with a status and either answer or close for the rest, within the timeout.

Fails when: a status is 5xx other than 503 (over the connection limit), a reply is not HTTP, a
connection neither answers nor closes in 12 s (a hang), or the server process dies. A prober
meanwhile loads a real question page and /healthz every 50 ms; its failures and its latency are
reported. Only 127.0.0.1 is a target. Prints the seed.
"""
import argparse
import multiprocessing
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import harness

ALLOWED = {200, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 408, 409, 411, 413, 414, 415, 417,
           422, 429, 431, 501, 503, 505}
STATUS = re.compile(rb"HTTP/1\.[01] (\d{3}) ")


class Generator:
    """Builds requests from parts, breaking some of them on purpose."""

    def __init__(self, rng, tokens):
        self.r = rng
        self.paths = ["/healthz", "/", "/analyst", "/analyst/comparison.csv", "/api/responses/counts",
                      "/p/rapid-poll-local-asb", "/p/rapid-poll-local-asb?ward=E05000001", "/analyst/report?borough=Hackney"]
        for t in tokens:
            self.paths += [f"/s/{t}", f"/s/{t}/q/asb_problem", f"/s/{t}/check", f"/s/{t}/done"]

    def junk(self, n):
        return bytes(self.r.randrange(256) for _ in range(n))

    def target(self):
        path = self.r.choice(self.paths).encode()
        k = self.r.randrange(12)
        if k == 0: path += b"?" + b"&".join(b"%s=%s" % (self.junk(3).hex().encode(), self.junk(4)) for _ in range(self.r.randint(1, 5)))
        elif k == 1: path += b"%" + bytes(self.r.choice(b"GZ%0") for _ in range(2))
        elif k == 2: path = b"/" + b"../" * self.r.randint(1, 30) + b"etc/passwd"
        elif k == 3: path += b"\xc3\x28\xff\xfe\xed\xa0\x80"          # invalid UTF-8
        elif k == 4: path = b"/" + b"a" * self.r.choice([8000, 9000, 70000])  # near and over the 8 KiB limit
        elif k == 5: path = b"http://127.0.0.1" + path
        elif k == 6: path = b"*"
        elif k == 7: path = path.replace(b"/", b"\x00", 1)
        elif k == 8: path = b"/%2e%2e/%2e%2e/" + path
        return path

    def request(self, hostile):
        r = self.r
        method = r.choice([b"GET", b"POST", b"HEAD"]) if not hostile or r.random() < 0.6 else r.choice(
            [b"get", b"PUT", b"DELETE", b"OPTIONS", b"TRACE", b"CONNECT", b"G\x00T", b"", b"X" * 5000, self.junk(6)])
        version = b"HTTP/1.1" if not hostile or r.random() < 0.7 else r.choice(
            [b"HTTP/1.0", b"HTTP/2.0", b"HTTP/9.9", b"HTTP/1.1 extra", b"HTTX/1.1", b"", b"HTTP/1.", b"HTTP/01.1"])
        target = self.target() if hostile else r.choice(self.paths).encode()
        sep = b" " if not hostile or r.random() < 0.8 else r.choice([b"  ", b"\t", b"", b" \x00 "])
        line = method + sep + target + sep + version
        headers = [b"Host: 127.0.0.1"]
        body = b""
        if method == b"POST" or (hostile and r.random() < 0.2):
            body = b"csrf=" + self.junk(8).hex().encode() + b"&answer=" + r.choice([b"yes", b"no", b"%ZZ", b"\xff\xfe", b"%00", b"a" * 3000])
            mode = r.randrange(10) if hostile else 0
            headers.append(b"Content-Type: application/x-www-form-urlencoded")
            if mode <= 4:
                headers.append(b"Content-Length: %d" % len(body))
            elif mode == 5:
                headers.append(b"Content-Length: " + r.choice([b"-1", b"99999999999999999999999", b"2000000", b"1e3", b"0x10", b"", b"12, 13"]))
            elif mode == 6:
                headers += [b"Content-Length: %d" % len(body), b"Content-Length: %d" % (len(body) + 5)]
            elif mode == 7:
                headers += [b"Transfer-Encoding: chunked", b"Content-Length: %d" % len(body)]
                body = self.chunked(body, broken=False)
            else:
                headers.append(b"Transfer-Encoding: " + r.choice([b"chunked", b"gzip, chunked", b"chunked, identity", b"CHUNKED"]))
                body = self.chunked(body, broken=True)
        if hostile:
            for _ in range(r.randrange(4)):
                k = r.randrange(10)
                if k == 0: headers.append(b"X-Long: " + b"v" * r.choice([1000, 40000]))
                elif k == 1: headers += [b"X-%d: v" % i for i in range(r.choice([50, 120]))]
                elif k == 2: headers.append(b" folded: continuation")
                elif k == 3: headers.append(b"NoColonHere")
                elif k == 4: headers.append(b"Bad Name: v")
                elif k == 5: headers.append(b"Cookie: " + self.junk(40))
                elif k == 6: headers.append(b"X-Null: a\x00b")
                elif k == 7: headers.append(b"Host: other")
                elif k == 8: headers.append(b"Expect: 100-continue")
                else: headers.append(b"Authorization: Bearer " + self.junk(30).hex().encode())
            if r.random() < 0.1:
                headers = headers[1:]  # no Host
        eol = b"\r\n" if not hostile or r.random() < 0.9 else r.choice([b"\n", b"\r", b"\r\r\n"])
        data = line + eol + eol.join(headers) + eol + eol + body
        if hostile and r.random() < 0.15:  # cut short, or a byte flipped
            if r.random() < 0.5:
                data = data[: r.randrange(len(data))]
            else:
                i = r.randrange(len(data))
                data = data[:i] + bytes([data[i] ^ (1 << r.randrange(8))]) + data[i + 1:]
        return data

    def chunked(self, body, broken):
        r = self.r
        parts, i = [], 0
        while i < len(body):
            n = r.randint(1, 40)
            size = b"%x" % len(body[i:i + n])
            if broken:
                k = r.randrange(8)
                if k == 0: size = b"ffffffffffffffffffff"
                elif k == 1: size = b"-5"
                elif k == 2: size = b"zz"
                elif k == 3: size += b";ext=" + b"e" * 5000
                elif k == 4: size = b"%x" % (len(body[i:i + n]) + 7)
            parts.append(size + b"\r\n" + body[i:i + n] + (b"\r\n" if not broken or r.random() < 0.8 else b"XX"))
            i += n
        return b"".join(parts) + (b"0\r\n\r\n" if not broken or r.random() < 0.7 else b"")


def exchange(payload, timeout=12.0):
    """Sends, half-closes, reads to EOF; returns (statuses, error or None)."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    try:
        try:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered early and closed (reset, broken pipe): allowed
        chunks, deadline = [], time.time() + timeout
        while True:
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                break
            except socket.timeout:
                return [], "hang: neither an answer nor a close within %.0f s" % timeout
            if not data:
                break
            chunks.append(data)
            if time.time() > deadline:
                return [], "hang: still sending after %.0f s" % timeout
        reply = b"".join(chunks)
        if reply and not reply.startswith(b"HTTP/1."):
            return [], "not HTTP: %r" % reply[:60]
        return [int(m.group(1)) for m in STATUS.finditer(reply)], None
    finally:
        s.close()


PORT = 0


def worker(args):
    global PORT
    index, count, seed, port, tokens = args
    PORT = port
    rng = random.Random(seed * 1000 + index)
    gen = Generator(rng, tokens)
    sent, connections, statuses, problems = 0, 0, {}, []
    while sent < count:
        batch = [gen.request(hostile=False) for _ in range(rng.randrange(0, 7))]
        batch.insert(rng.randrange(len(batch) + 1), gen.request(hostile=True))
        payload = b"".join(batch)
        got, error = exchange(payload)
        sent += len(batch)
        connections += 1
        for code in got:
            statuses[code] = statuses.get(code, 0) + 1
            if code not in ALLOWED:
                problems.append("status %d for %r" % (code, payload[:120]))
        if error:
            problems.append(error + " for %r" % payload[:120])
        if len(problems) > 20:
            break
    return sent, connections, statuses, problems


def probe(port, token, stop, results):
    """Real requests during the run: a question page and /healthz."""
    while not stop.is_set():
        for path in (f"/s/{token}/q/asb_problem", "/healthz"):
            started = time.time()
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path.encode())
                reply = b""
                while True:
                    d = s.recv(65536)
                    if not d:
                        break
                    reply += d
                s.close()
                ok = reply.startswith(b"HTTP/1.1 200")
            except OSError:
                ok = False
            results.append((ok, time.time() - started))
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(1 << 32))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--bin", default=".build/release/canvass")
    parser.add_argument("--port", type=int, default=18091)
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    print(f"http_fuzz: seed {args.seed} (replay with --seed {args.seed}); {args.requests} requests")
    folder = tempfile.mkdtemp(prefix="canvass-fuzz-")
    db = os.path.join(folder, "fuzz.sqlite")
    tokens = harness.invite(binary, db, 4, "F")
    server = harness.serve(binary, db, args.port, os.path.join(folder, "serve.err"))
    try:
        # Start the first respondent so that its question page is a real page for the prober.
        import http.client, urllib.parse
        c = http.client.HTTPConnection("127.0.0.1", args.port)
        c.request("GET", f"/s/{tokens[0]}")
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', c.getresponse().read().decode()).group(1)
        c.request("POST", f"/s/{tokens[0]}/start", body=urllib.parse.urlencode({"csrf": csrf}),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        c.getresponse().read()
        stop, results = threading.Event(), []
        prober = threading.Thread(target=probe, args=(args.port, tokens[0], stop, results), daemon=True)
        prober.start()
        started = time.time()
        share = args.requests // args.workers + 1
        with multiprocessing.Pool(args.workers) as pool:
            outcomes = pool.map(worker, [(i, share, args.seed, args.port, tokens) for i in range(args.workers)])
        elapsed = time.time() - started
        stop.set()
        prober.join()
        alive = server.poll() is None
        sent = sum(o[0] for o in outcomes)
        connections = sum(o[1] for o in outcomes)
        statuses = {}
        for o in outcomes:
            for k, v in o[2].items():
                statuses[k] = statuses.get(k, 0) + v
        problems = [p for o in outcomes for p in o[3]]
        latencies = sorted(t for ok, t in results)
        failed_probes = sum(1 for ok, _ in results if not ok)
        p99 = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else float("nan")
        rss = open(f"/proc/{server.pid}/status").read() if alive else ""
        hwm = re.search(r"VmHWM:\s+(\d+)", rss)
        print(f"sent {sent} requests on {connections} connections in {elapsed:.0f} s ({sent / elapsed:.0f}/s)")
        print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
        print(f"real requests during the run: {len(results)}, failed {failed_probes}, p99 {p99:.1f} ms")
        print(f"server alive: {alive}; peak RSS {hwm.group(1) if hwm else '?'} KiB")
        for p in problems[:20]:
            print("PROBLEM:", p)
        failed = problems or failed_probes or not alive
        print("http_fuzz: " + ("FAILED" if failed else "passed") + f" (seed {args.seed})")
        sys.exit(1 if failed else 0)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
