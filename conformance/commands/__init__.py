"""Subcommands of the command line beyond ``issuer``: certify, replay, checks."""

from .certify import add_certify_command
from .checks import add_checks_command
from .replay import add_replay_command

__all__ = ["add_certify_command", "add_checks_command", "add_replay_command"]
