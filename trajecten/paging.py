"""A paginator whose count stops at a limit, for lists that can run into thousands of rows.

An exact count of a long list costs a pass over all of its rows on every page view; nobody pages through
more than a thousand trajectories. ``BoundedPaginator`` counts at most ``limit`` + 1 rows (one
``SELECT COUNT(*) FROM (... LIMIT limit + 1)``), offers the pages of the first ``limit`` rows and says
whether there are more ("Meer dan 1.000"): refine the filters to see the rest.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 1000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, limit: int = COUNT_LIMIT, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def counted(self) -> int:
        """The number of rows, counted up to ``limit`` + 1."""
        return self.object_list[: self.limit + 1].count()

    @property
    def more(self) -> bool:
        """More rows than ``limit``: only the first ``limit`` are on the pages."""
        return self.counted > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)
