"""YAML read from people's files (orders, rates): safe, and small whatever the file asks for.

A YAML alias repeats a whole node: a few hundred bytes of nested aliases ("billion laughs") make a
value of gigabytes once walked or quoted. Files of the product's formats need few: more than
:data:`MAX_ALIASES` are refused as unreadable, naming the line (issue 17 §0).
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_ALIASES = 10


class TooManyAliases(yaml.YAMLError):
    """The file repeats nodes through aliases more than the product reads."""

    def __init__(self, mark: Any) -> None:
        super().__init__(f"more than {MAX_ALIASES} aliases (*name): not read")
        self.problem = f"more than {MAX_ALIASES} aliases (*name) are not read"
        self.problem_mark = mark


class LimitedLoader(yaml.SafeLoader):
    """A safe loader (no arbitrary objects) that refuses more than MAX_ALIASES aliases in one stream."""

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                raise TooManyAliases(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)
