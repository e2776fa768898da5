"""The shape the live records share: one row, where the record stands (`trackrecord.py`'s
`TrackRecord`, `forward.py`'s `ForwardRecord`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import utcnow
from app.db.base import Base
from app.db.types import JSONType, UTCDateTime


class OneRowRecord(Base):
    """The one row: where the record stands. Moved forward only by a compare-and-set on
    `last_hour`, so no hour is ever marked twice, whichever replica runs."""

    __abstract__ = True

    # A record's own columns (sort_order 0) sit between `last_hour` and `state`, in the order
    # its table was created with (a mixin's columns would otherwise follow the subclass's).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)  # always 1
    inception_at: Mapped[datetime] = mapped_column(UTCDateTime, sort_order=-1)
    last_hour: Mapped[datetime] = mapped_column(UTCDateTime, sort_order=-1)  # the last marked
    state: Mapped[dict[str, Any]] = mapped_column(JSONType, sort_order=1)  # its `to_json()`
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, sort_order=1)
