"""Run the `unisupport` command in-process against the test database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from click.testing import CliRunner

from unisupport.cli import main as cli_main

_registered = False


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def unisupport(*args: str, input: str | None = None) -> Run:
    """Return the exit code and output of `unisupport ARGS…`."""
    global _registered
    if not _registered:
        cli_main._register()
        _registered = True
    result = CliRunner().invoke(cli_main.cli, list(args), input=input, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)
