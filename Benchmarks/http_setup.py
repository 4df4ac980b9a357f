#!/usr/bin/env python3
"""Starts each invited response and writes a Lua table of GET paths and POST bodies for wrk."""
import re
import sys
import urllib.parse
import urllib.request

port, tokens_file, lua_file = sys.argv[1], sys.argv[2], sys.argv[3]
base = f"http://127.0.0.1:{port}"
entries = []
for token in open(tokens_file).read().split():
    page = urllib.request.urlopen(f"{base}/s/{token}").read().decode()
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf": csrf}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{base}/s/{token}/start", data=data))
    entries.append((token, csrf))
# Each respondent appears twice, answering "yes" then "no": as wrk cycles through the list every
# POST changes a stored answer (a save that only repeated the stored answer would write less).
with open(lua_file, "w") as f:
    f.write("targets = {\n")
    for answer in ("yes", "no"):
        for token, csrf in entries:
            f.write(f'  {{ path = "/s/{token}/q/asb_problem", body = "csrf={csrf}&answer={answer}" }},\n')
    f.write("}\n")
