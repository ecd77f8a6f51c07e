"""Bytecode caches: written for the package and for a grader, rewritten when the source changes."""
from __future__ import annotations

import importlib.util
import os
import struct
from pathlib import Path

from autograder import bytecode


def _cache_matches(source: Path) -> bool:
    cache = Path(importlib.util.cache_from_source(str(source)))
    if not cache.exists():
        return False
    header = cache.read_bytes()[:16]
    st = source.stat()
    return header[:4] == importlib.util.MAGIC_NUMBER and struct.unpack("<II", header[8:16]) == (
        int(st.st_mtime) & 0xFFFFFFFF, st.st_size & 0xFFFFFFFF)


def test_package_caches_every_module() -> None:
    bytecode.package()
    root = Path(bytecode.__file__).parent
    sources = sorted(root.rglob("*.py"))
    assert sources and [s for s in sources if not _cache_matches(s)] == []


def test_grader_cache_follows_its_source(tmp_path: Path) -> None:
    grader = tmp_path / "test_grader.py"
    grader.write_text("X = 1\n")
    bytecode.module(grader)
    assert _cache_matches(grader)
    grader.write_text("X = 22\n")
    os.utime(grader, (1, 1))  # a different mtime even within the same second
    assert not _cache_matches(grader)
    bytecode.module(grader)
    assert _cache_matches(grader)

