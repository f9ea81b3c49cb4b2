"""A worker pass in a process of its own that dies hard at a given point (the worker-kill test).

``python tests/dying_worker.py NOW [--after-batches N] [--after-sends N]`` runs one
pass of the real worker (incidents.worker.tick), as `unisupport worker --once` does, and ends the
process with exit 137 — no cleanup, no atexit, like a kill — right after the Nth committed batch
or the Nth e-mail marked sent. The database and SMTP server come from the environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os


def _die_at(count: int | None):
    def hook(done: int) -> None:
        if count is not None and done >= count:
            os._exit(137)

    return hook


def main() -> None:
    """Run one worker pass that dies where the arguments say."""
    parser = argparse.ArgumentParser()
    parser.add_argument("now")
    parser.add_argument("--after-batches", type=int)
    parser.add_argument("--after-sends", type=int)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unisupport.settings")
    import django

    django.setup()
    from unisupport.incidents.worker import tick

    tick(
        now=dt.datetime.fromisoformat(args.now),
        after_batch=_die_at(args.after_batches),
        after_send=_die_at(args.after_sends),
    )


if __name__ == "__main__":
    main()
