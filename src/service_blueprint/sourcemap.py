"""Where things are in a YAML file: from a data path to a line and column.

The values are parsed by a fast parser that keeps no positions; positions are needed
only for messages, so this map parses the text a second time with rapidyaml (a C++
parser whose scalars point into our buffer) only when the first message needs one,
and finds a node by walking its tree along the path.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import Any

PathItem = str | int
Path = tuple[PathItem, ...]


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def _address(view: memoryview) -> int:
    """Memory address of a buffer (rapidyaml hands out views into our own bytes)."""
    buf = _PyBuffer()
    _get_buffer(view, ctypes.byref(buf), 0)
    try:
        return int(buf.buf or 0)
    finally:
        _release_buffer(ctypes.byref(buf))


class SourceMap:
    """Lazily built index from data paths to ``(line, col)``, both 1-based."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._text = text
        self._tree: Any = None
        self._buffer: bytearray | None = None
        self._base = 0
        self._line_starts: list[int] = []
        self._failed = False
        self._fallback: _FallbackIndex | None = None

    # ---- set-up -------------------------------------------------------------------------
    def _ensure(self) -> bool:
        if self._tree is not None:
            return True
        if self._failed:
            return False
        try:
            import ryml

            self._buffer = bytearray(self._text.encode("utf-8"))
            self._base = _address(memoryview(self._buffer))
            with _quiet_stderr():
                self._tree = ryml.parse_in_place(self._buffer)
        except Exception:  # a file the value parser accepted but this one does not
            self._failed = True
            self._fallback = _FallbackIndex(self._text)
            return False
        data = self._text.encode("utf-8")
        starts = [0]
        pos = data.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        self._line_starts = starts
        self._raw = data
        return True

    def syntax_error(self) -> tuple[str, int, int] | None:
        """A syntax error that both position parsers agree on, as (message, line, col).

        The value parser is lenient in a few corners of YAML (e.g. ``{a: >b}``); when
        rapidyaml and ruamel.yaml both refuse the text, it is not valid YAML.
        """
        if self._ensure():
            return None
        return self._fallback.error if self._fallback else None

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and character column of a byte offset."""
        if not self._ensure():
            return (0, 0)
        i = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[i]
        col = len(self._raw[start:offset].decode("utf-8", "replace")) + 1
        return (i + 1, col)

    # ---- lookup -------------------------------------------------------------------------
    def _root(self) -> int:
        tree = self._tree
        node: int = tree.root_id()
        if tree.is_stream(node):
            node = tree.first_child(node)
        return node

    def _node(self, path: Sequence[PathItem]) -> tuple[int, bool]:
        """The deepest node along ``path`` and whether the whole path was found."""
        tree = self._tree
        node = self._root()
        for item in path:
            if tree.is_map(node) and isinstance(item, str):
                child = tree.find_child(node, item.encode("utf-8"))
            elif tree.is_seq(node) and isinstance(item, int) and 0 <= item < tree.num_children(node):
                child = tree.child(node, item)
            else:
                return node, False
            if child == _NONE:
                return node, False
            node = child
        return node, True

    def _scalar_offset(self, view: memoryview | None) -> int | None:
        if view is None or len(view) == 0:
            return None
        off = _address(view) - self._base
        if not 0 <= off <= len(self._raw):
            return None
        return off

    def _offset(self, node: int, *, key: bool) -> int | None:
        tree = self._tree
        if key and tree.has_key(node):
            off = self._scalar_offset(tree.key(node))
            if off is not None:
                return self._unquote(off)
        if tree.has_val(node) and not tree.is_container(node):
            off = self._scalar_offset(tree.val(node))
            if off is not None:
                return self._unquote(off)
        if tree.has_key(node):
            off = self._scalar_offset(tree.key(node))
            if off is not None:
                return self._unquote(off)
        if tree.is_container(node) and tree.num_children(node):
            return self._offset(tree.first_child(node), key=True)
        return None

    def _align(self, start: int, value: str, offset: int) -> int:
        """Byte offset in the file of character ``offset`` of a scalar's value.

        A plain scalar written over several lines is folded into one line with single
        spaces, so the value and the file are walked together, skipping the file's extra
        line breaks and indentation.
        """
        raw = self._raw[start:].decode("utf-8", "replace")
        i = j = 0
        while i < offset and j < len(raw):
            if raw[j] == value[i]:
                i += 1
                j += 1
            elif raw[j] in " \t\r\n":
                j += 1
            else:
                return start
        return start + len(raw[:j].encode("utf-8"))

    def _unquote(self, off: int) -> int:
        if off > 0 and self._raw[off - 1 : off] in (b'"', b"'"):
            return off - 1
        return off

    def locate(self, path: Sequence[PathItem], *, key: bool = False, offset: int = 0) -> tuple[int, int]:
        """Line and column of the value at ``path`` (of its key with ``key=True``).

        ``offset`` counts characters into a scalar, to point at one id inside a flow chain.
        A path that does not exist (a default, a derived value) points at its nearest
        written ancestor.
        """
        if not self._ensure():
            return self._fallback.locate(path, key=key) if self._fallback else (0, 0)
        try:
            node, found = self._node(path)
            if offset and found and self._tree.has_val(node) and not self._tree.is_container(node):
                view = self._tree.val(node)
                start = self._scalar_offset(view)
                if start is not None:
                    value = bytes(view).decode("utf-8", "replace")
                    return self.line_col(self._align(start, value, offset))
            off = self._offset(node, key=key)
        except Exception:
            return (0, 0)
        if off is None:
            return (1, 1) if not path else self.locate(path[:-1], key=key)
        return self.line_col(off)

    def find_duplicate_key(self, key: str) -> tuple[int, int] | None:
        """Where a key appears a second time in one mapping (the value parser only names it)."""
        if not self._ensure():
            return None
        tree = self._tree
        stack = [self._root()]
        wanted = key.encode("utf-8")
        while stack:
            node = stack.pop()
            if tree.is_map(node):
                seen = 0
                child = tree.first_child(node)
                while child != _NONE:
                    key_view = tree.key(child) if tree.has_key(child) else None
                    if key_view is not None and bytes(key_view) == wanted:
                        seen += 1
                        if seen == 2:
                            off = self._scalar_offset(tree.key(child))
                            return self.line_col(off) if off is not None else None
                    stack.append(child)
                    child = tree.next_sibling(child)
            elif tree.is_container(node):
                child = tree.first_child(node)
                while child != _NONE:
                    stack.append(child)
                    child = tree.next_sibling(child)
        return None


_NONE = (1 << 64) - 1  # rapidyaml's NONE id as seen from Python


#: Redirecting file descriptor 2 is process-wide: two threads doing it at once could each save
#: the other's /dev/null as "the original" and leave stderr silenced for good (a server's log
#: with it). One redirection at a time.
_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml prints its parse errors to the C stderr; the user gets ours instead."""
    fd = 2  # the C library writes to file descriptor 2, whatever sys.stderr is now
    with _STDERR_LOCK:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            sys.stderr.flush()
        try:
            saved = os.dup(fd)
        except OSError:  # no stderr at all: nothing to silence
            yield
            return
        try:
            os.dup2(_devnull(), fd)
            try:
                yield
            finally:
                _libc_flush()  # C stdio buffers what it prints; flush it into /dev/null
        finally:
            os.dup2(saved, fd)
            os.close(saved)


@functools.cache
def _devnull() -> int:
    """A descriptor of /dev/null, opened once and kept (it is needed on every parse)."""
    return os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def _libc_flush() -> None:
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(AttributeError):
            libc.fflush(None)


class _FallbackIndex:
    """Positions from ruamel.yaml's composer, for the rare text rapidyaml will not parse.

    Slow (pure Python) but only used when the fast parser refused the file.
    """

    def __init__(self, text: str) -> None:
        self._root: Any = None
        self.error: tuple[str, int, int] | None = None
        try:
            from ruamel.yaml import YAML

            self._root = YAML(typ="safe", pure=True).compose(text)
        except Exception as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            self.error = (str(problem), line, col)

    def locate(self, path: Sequence[PathItem], *, key: bool = False) -> tuple[int, int]:
        node = self._root
        if node is None:
            return (0, 0)
        key_node = None
        for item in path:
            nxt = None
            if node.tag.endswith(":map"):
                for k, v in node.value:
                    if getattr(k, "value", None) == item:
                        key_node, nxt = k, v
                        break
            elif node.tag.endswith(":seq") and isinstance(item, int) and 0 <= item < len(node.value):
                key_node, nxt = None, node.value[item]
            if nxt is None:
                break
            node = nxt
        target = key_node if key and key_node is not None else node
        mark = target.start_mark
        return (mark.line + 1, mark.column + 1)
