"""Forbid the sandbox child any write outside its own folder, and any TCP, with Linux Landlock.

No library on PyPI wraps Landlock for this Python (the kernel API is three syscalls), so it is
written here with ctypes. It needs no privilege; on kernels without Landlock it does nothing and
says so (the threat model in docs/securite.md covers that case).
"""
from __future__ import annotations

import ctypes
import os
import platform

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
_CREATE_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_WRITE_FILE, _REMOVE_DIR, _REMOVE_FILE = 1 << 1, 1 << 4, 1 << 5
_MAKES = sum(1 << b for b in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
_REFER, _TRUNCATE = 1 << 13, 1 << 14
_BIND_TCP, _CONNECT_TCP = 1 << 0, 1 << 1


class _Ruleset(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def confine(write_allowed: list[str]) -> bool:
    """Allow writes only beneath ``ecriture_permise``; deny TCP. True if the kernel enforces it."""
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None or platform.system() != "Linux":
        return False
    create, add, restrict = numbers
    libc = ctypes.CDLL(None, use_errno=True)
    abi = libc.syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_VERSION))
    if abi < 1:
        return False
    writes = _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKES
    if abi >= 2:
        writes |= _REFER
    if abi >= 3:
        writes |= _TRUNCATE
    attr = _Ruleset(writes, (_BIND_TCP | _CONNECT_TCP) if abi >= 4 else 0)
    size = ctypes.sizeof(_Ruleset) if abi >= 4 else ctypes.sizeof(ctypes.c_uint64)
    fd = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if fd < 0:
        return False
    try:
        for path in write_allowed:
            try:
                dfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                rule = _PathBeneath(writes, dfd)
                libc.syscall(add, ctypes.c_int(fd), ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule),
                             ctypes.c_uint32(0))
            finally:
                os.close(dfd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(restrict, ctypes.c_int(fd), ctypes.c_uint32(0)) == 0
    finally:
        os.close(fd)
