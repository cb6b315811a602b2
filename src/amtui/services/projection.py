"""Keep only what a view needs of each record, so a large workspace stays small in memory.

Views over thousands of records (the Inbox, the Clients list, the agenda) read the tables
record by record and keep a few fields of each. Values that repeat across records (ids of
clients and members, statuses, channels, dates) are shared: one string object per distinct
value instead of one per record.
"""

from __future__ import annotations

from typing import Any

Raw = dict[str, Any]


class Interner:
    """Hands back one shared object for equal strings (and tuples of them)."""

    def __init__(self) -> None:
        self._pool: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str | tuple):
            return self._pool.setdefault(value, value)  # type: ignore[arg-type]
        return value


class View:
    """A few fields of a record, read like a dict (``view["id"]``, ``view.get("status")``)
    but stored in slots: a third of a dict's size, which counts over tens of thousands.

    Subclasses name the fields in ``__slots__``; :meth:`of` fills them from a record.
    """

    __slots__ = ()

    @classmethod
    def of(cls, record: Raw, shared: Interner, shared_fields: frozenset[str] = frozenset(),
           ) -> View:
        view = cls()
        for name in cls.__slots__:
            if name in record:
                value = record[name]
                setattr(view, name, shared(value) if name in shared_fields else value)
        return view

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default) if name in self.__slots__ else default

    def __getitem__(self, name: str) -> Any:
        if name not in self.__slots__:
            raise KeyError(name)
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.__slots__ and hasattr(self, name)
