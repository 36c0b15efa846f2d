"""Targets: the validators under test, behind one contract whatever their kind.

::

    from conformance.targets import load_target

    target = load_target("examples/pyjwt_target.py:validate")   # or "exec:...", or "http://..."
    with target:
        target.implementation          # Implementation(name, version, language, capabilities)
        observation = target.run(token, ctx)   # never raises for anything the target does

Kinds: `PythonTarget` (a callable in this process, under a clock frozen at ``ctx.now``),
`SubprocessTarget` (an adapter program speaking JSON lines, see ``docs/protocol.md``) and
`HttpTarget` (the same messages POSTed to a URL).
"""

from __future__ import annotations

from .base import Implementation, Target
from .http_target import HttpTarget
from .loader import SPEC_FORMS, load_target
from .protocol import PROTOCOL_VERSION
from .python_target import PythonTarget
from .subprocess_target import SubprocessTarget

__all__ = [
    "HttpTarget",
    "Implementation",
    "PROTOCOL_VERSION",
    "PythonTarget",
    "SPEC_FORMS",
    "SubprocessTarget",
    "Target",
    "load_target",
]
