"""What the toy adapters answer, decided by the token text, shared by the JSON-lines and HTTP toys.

Tokens: ``good...`` accept with claims; ``identity`` accept with an identity; ``reject:REASON``
reject (no reason when REASON is empty); ``skip``; ``error`` (adapter-side error); ``raw:TEXT``
answer TEXT verbatim with ``{id}`` replaced by the request id; ``wrong-id`` answer another id.
Anything else is rejected without a reason.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["answer", "HANDSHAKE"]

HANDSHAKE = {"ready": True, "protocol": 1,
             "implementation": {"name": "toy", "version": "0.0.1", "language": "python"},
             "capabilities": {"returns": "claims", "reasons": True}}


def answer(message: dict[str, Any]) -> str:
    """The answer line (without newline) to one validate message."""
    request_id = message["id"]
    token = message["token"]
    context = message["context"]
    if token.startswith("good"):
        reply: dict[str, Any] = {"result": "accept", "claims": {"sub": token, "now": context["now"],
                                                                 "aud": context["application_id"]}}
    elif token == "identity":
        reply = {"result": "accept", "identity": {"tokenIdentifier": f"{context['domain']}|user"}}
    elif token.startswith("reject:"):
        reason = token[len("reject:"):]
        reply = {"result": "reject", "message": "toy says no", **({"reason": reason} if reason else {})}
    elif token == "skip":
        reply = {"result": "skip", "message": "toy cannot do this"}
    elif token == "error":
        reply = {"result": "error", "message": "toy broke", "traceback": "Traceback: toy line 1"}
    elif token.startswith("raw:"):
        return token[len("raw:"):].replace("{id}", str(request_id))
    elif token == "wrong-id":
        return json.dumps({"id": request_id + 1000, "result": "reject"})
    else:
        reply = {"result": "reject"}
    return json.dumps({"id": request_id, "extra_field_ignored": True, **reply})
