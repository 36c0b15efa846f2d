"""Values as strict JSON: what every report and stored case is written through.

Reports are read by other languages, so the output is standard JSON: non-finite floats (which a
payload may carry) become the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``; bytes become
text (or base64 when not UTF-8); anything else unusual becomes its ``str``. Non-ASCII text is
escaped, so lone surrogates from attacker-controlled claims cannot break the UTF-8 file.
"""

from __future__ import annotations

import base64
import json
import math
from enum import Enum
from typing import Any, Mapping

__all__ = ["jsonable", "dump_json"]


def jsonable(value: Any) -> Any:
    """`value` converted to plain JSON types (dict, list, str, int, finite float, bool, None)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    return str(value)


def dump_json(value: Any) -> str:
    """Indented, strict JSON text of `value`, ending with a newline."""
    return json.dumps(jsonable(value), indent=2, ensure_ascii=True, allow_nan=False) + "\n"
