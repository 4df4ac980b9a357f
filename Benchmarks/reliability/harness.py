"""What the reliability scripts share: invitations made by the binary, and a server started on
loopback and waited for."""
import os
import re
import socket
import subprocess
import time


def invite(binary, db, count, prefix, questionnaire="rapid-poll-local-asb"):
    """`count` invitation tokens from `canvass invite`, for cases PREFIX0, PREFIX1, … in Hackney."""
    tokens = []
    for i in range(count):
        out = subprocess.run([binary, "invite", "--db", db, "--questionnaire", questionnaire, "--case", f"{prefix}{i}", "--borough", "Hackney"],
                             capture_output=True, text=True, check=True).stdout
        tokens.append(re.search(r"token: (\S+)", out).group(1))
    return tokens


def serve(binary, db, port, stderr_path, extra=()):
    """`canvass serve` on 127.0.0.1:`port`, returned once it accepts connections (at most 10 s)."""
    server = subprocess.Popen([binary, "serve", "--db", db, "--port", str(port), "--access-log", "/dev/null", *extra],
                              stdout=subprocess.DEVNULL, stderr=open(stderr_path, "w"))
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited with {server.returncode}: see {stderr_path}")
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"the server did not start listening on {port}: see {stderr_path}")
