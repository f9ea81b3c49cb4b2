"""The domain is pure Python: importing every one of its modules loads neither Django nor ninja."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import unisupport.domain


def test_importing_the_whole_domain_loads_no_django_and_no_ninja() -> None:
    """A fresh interpreter imports every domain module; Django and ninja stay unloaded."""
    names = [m.name for m in pkgutil.walk_packages(unisupport.domain.__path__, "unisupport.domain.")]
    script = "; ".join(
        [
            "import importlib, sys",
            f"[importlib.import_module(n) for n in {names!r}]",
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'ninja'}))",
        ]
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert len(names) > 20
