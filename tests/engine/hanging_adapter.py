"""A protocol-1 adapter around the reference that hangs on unsigned tokens and crashes on tokens without exactly three segments."""

import json
import sys
import time

from conformance import ProviderConfig
from conformance.fetching import HttpFetcher
from conformance.reference import validate

FETCH = HttpFetcher(timeout=5.0)


def answer(request):
    token, ctx = request["token"], request["context"]
    if token.count(".") != 2:
        sys.stderr.write("fatal: cannot split token\n")
        sys.stderr.flush()
        raise SystemExit(3)
    verdict = validate(token, provider=ProviderConfig(ctx["domain"], ctx["application_id"]), now=ctx["now"],
                       fetch=FETCH)
    if not verdict.accepted and verdict.reason is not None and verdict.reason.value == "algorithm" \
            and "none" in verdict.message.lower():
        time.sleep(60)
    if verdict.accepted:
        return {"result": "accept", "identity": verdict.identity}
    return {"result": "reject", "reason": verdict.reason.value, "message": verdict.message}


for line in sys.stdin:
    request = json.loads(line)
    if request["cmd"] == "start":
        reply = {"ready": True, "protocol": 1, "implementation": {"name": "hanging-reference", "version": "0",
                                                                  "language": "python"}, "capabilities": {}}
    elif request["cmd"] == "validate":
        reply = {"id": request["id"], **answer(request)}
    else:
        break
    print(json.dumps(reply), flush=True)
