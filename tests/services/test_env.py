"""The settings' environment readers: a value they cannot read stops the start, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from unisupport.env import env_bool, env_choice, env_int, env_list, env_str


def test_unset_or_empty_gives_the_default():
    assert env_bool("X", True, environ={}) is True
    assert env_int("X", 1025, environ={"X": " "}) == 1025
    assert env_list("X", ["a"], environ={}) == ["a"]
    assert env_str("X", "d", environ={"X": ""}) == "d"
    assert env_choice("X", "WARNING", frozenset({"INFO", "WARNING"}), environ={}) == "WARNING"


def test_values_are_read_as_their_type():
    assert [env_bool("X", False, environ={"X": v}) for v in ("1", "true", "Yes", "on")] == [True] * 4
    assert [env_bool("X", True, environ={"X": v}) for v in ("0", "false", "No", "off")] == [False] * 4
    assert env_int("X", 0, environ={"X": "2525"}) == 2525
    assert env_list("X", [], environ={"X": "a.test, b.test,"}) == ["a.test", "b.test"]
    assert env_choice("X", "WARNING", frozenset({"INFO", "WARNING"}), environ={"X": "INFO"}) == "INFO"


@pytest.mark.parametrize(
    ("read", "value", "expected"),
    [
        (
            lambda env: env_bool("UNISUPPORT_DEBUG", True, environ=env),
            "maybe",
            "UNISUPPORT_DEBUG: expected 1 or 0",
        ),
        (
            lambda env: env_int("UNISUPPORT_SMTP_PORT", 1025, environ=env),
            "abc",
            "UNISUPPORT_SMTP_PORT: expected a whole",
        ),
        (lambda env: env_int("UNISUPPORT_SMTP_PORT", 1025, minimum=1, environ=env), "0", "at least 1"),
        (
            lambda env: env_choice("UNISUPPORT_LOG_LEVEL", "WARNING", frozenset({"INFO"}), environ=env),
            "LOUD",
            "UNISUPPORT_LOG_LEVEL: expected one of INFO",
        ),
    ],
)
def test_a_bad_value_raises_naming_the_variable(read, value, expected):
    name = expected.split(":")[0] if ":" in expected else "UNISUPPORT_SMTP_PORT"
    with pytest.raises(ImproperlyConfigured, match=expected) as caught:
        read({name: value})
    assert repr(value) in str(caught.value)


def test_a_bad_setting_stops_the_command_naming_the_variable():
    """The settings read the environment strictly: `unisupport` exits 2 before doing anything."""
    unisupport = str(Path(sys.executable).with_name("unisupport"))
    env = dict(os.environ, UNISUPPORT_SMTP_PORT="abc")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([unisupport, "rules", "SEV-8"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "Error: UNISUPPORT_SMTP_PORT: expected a whole number, got 'abc'"
