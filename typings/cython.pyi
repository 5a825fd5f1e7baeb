"""What the engine uses of Cython's pure-Python mode, typed for mypy (Cython ships no stubs for
its ``cython`` module). At run time the names are Cython's own: no-ops in plain Python, C types
and compiler directives when ``engine.py`` is compiled.

Scalar C types are annotations: ``cython.Py_ssize_t`` and ``cython.bint`` (a C double is
annotated ``float``, which Cython compiles to a C double). Typed memoryviews are declared with
``cython.declare(cython.longlong[:], value)``: there ``cython.double`` and ``cython.longlong`` are
values, which is why they cannot be used as annotations.
"""

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar, overload

_F = TypeVar("_F", bound=Callable[..., Any])

class _CType:
    def __getitem__(self, dims: Any) -> _CType: ...

compiled: bool
Py_ssize_t: TypeAlias = int
double: _CType
longlong: _CType
bint: TypeAlias = bool

def boundscheck(on: bool) -> Callable[[_F], _F]: ...
def wraparound(on: bool) -> Callable[[_F], _F]: ...

_T = TypeVar("_T")
_C = TypeVar("_C", bound=type)

@overload
def declare(ctype: _CType) -> Any: ...
@overload
def declare(ctype: _CType, value: _T) -> _T: ...
def cclass(cls: _C) -> _C: ...
def cfunc(f: _F) -> _F: ...
