"""A JSON-lines protocol adapter with known misbehaviours, for testing the subprocess target.

Per request (by token, see toy_logic): also ``hang`` (never answers), ``garbage`` (prints a non-JSON
line), ``crash`` (exits with code 3), ``flood`` (writes 300 KB to stderr, then accepts),
``stderr:TEXT`` (writes TEXT to stderr, then accepts). Options: ``--crash-at N`` exits with code 4
on its Nth request; ``--handshake MODE`` misbehaves at start (die, garbage, old-protocol, not-ready,
hang).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from toy_logic import HANDSHAKE, answer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crash-at", type=int, default=0)
    parser.add_argument("--handshake", default="ok")
    options = parser.parse_args()
    start = json.loads(sys.stdin.readline())
    assert start == {"cmd": "start", "protocol": 1}, start
    if options.handshake == "die":
        sys.stderr.write("toy: cannot load my configuration\n")
        return 7
    if options.handshake == "hang":
        time.sleep(3600)
    handshake = dict(HANDSHAKE)
    if options.handshake == "garbage":
        print("Welcome to toy adapter!", flush=True)
        return 0
    if options.handshake == "old-protocol":
        handshake["protocol"] = 0
    if options.handshake == "not-ready":
        handshake = {"ready": False, "message": "missing API key"}
    print(json.dumps(handshake), flush=True)
    handled = 0
    for line in sys.stdin:
        message = json.loads(line)
        if message["cmd"] == "stop":
            return 0
        handled += 1
        token = message["token"]
        if handled == options.crash_at or token == "crash":
            sys.stderr.write(f"toy: dying on request {message['id']}\n")
            sys.stderr.flush()
            return 3 if token == "crash" else 4
        if token == "hang":
            time.sleep(3600)
        if token == "garbage":
            print("this is not JSON", flush=True)
            continue
        if token == "flood":
            sys.stderr.write("x" * 300_000 + "\nflood end\n")
            sys.stderr.flush()
            message["token"] = "good-after-flood"
        if token.startswith("stderr:"):
            sys.stderr.write(token[len("stderr:"):] + "\n")
            sys.stderr.flush()
            message["token"] = "good-after-stderr"
        print(answer(message), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
