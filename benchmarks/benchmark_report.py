"""What the benchmark scripts share: a description of the machine they ran on, and rewriting their
own ``## ...`` section of BENCHMARKS.md in place.

The scripts run as ``python benchmarks/<script>.py`` or are loaded by path from the tests; each puts
this folder on ``sys.path`` before importing this module, so both ways find it.
"""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

import hypothesis
import jwt

__all__ = ["machine", "load_average", "write_section"]


def machine() -> str:
    """Cores (and CPU model where /proc/cpuinfo names it), OS, and the Python, Hypothesis and PyJWT versions."""
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    return (f"{os.cpu_count()} cores{f' ({model})' if model else ''}, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, Hypothesis {hypothesis.__version__}, PyJWT {jwt.__version__}")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``1.3 / 1.9 / 2.9``."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def write_section(path: Path, section: str) -> None:
    """Replace the section of `path` headed by `section`'s first line (or append it), keeping every other section."""
    heading = section.split("\n", 1)[0]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text.rstrip("\n") + "\n")
