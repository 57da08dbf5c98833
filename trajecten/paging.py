"""A paginator whose count stops at a limit, for lists that can run into thousands of rows.

An exact count of a long list costs a pass over all of its rows on every page view; nobody pages through
more than a thousand trajectories. ``BoundedPaginator`` offers the pages of the first ``limit`` rows and says
whether there are more ("Meer dan 1.000"): refine the filters to see the rest.

A list (``few=False``) is counted without its order (``SELECT COUNT(*) FROM (... LIMIT limit + 1)``: PostgreSQL
stops after 1,001 matching rows instead of sorting them all), and its page is read as a "deferred join": the
primary keys of the page first (``ORDER BY .. OFFSET .. LIMIT`` on the table alone, which an index in that
order answers), then the rows with their related objects for those keys only. Otherwise PostgreSQL may join
every skipped row (a later page) or every matching row before sorting (a filter it misjudges), which grows with
the list.

A search (``few=True``) matches few rows, which no index holds in the list's order: counting them and then
reading the page sorted them twice (a common surname at 1,000,000 trajectories: its 2,066 open trajectories
VO-wide, twice, for the entity's 243). Its keys are read once, in order, up to ``limit`` + 1: their number is
the count, and a page's keys are a slice of them.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 1000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, limit: int = COUNT_LIMIT, few: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        self.few = few

    @cached_property
    def keys(self) -> list | None:
        """A search's primary keys of its first ``limit`` + 1 rows, in the list's order (else None)."""
        if not self.few:
            return None
        return list(self.object_list.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def counted(self) -> int:
        """The number of rows, counted up to ``limit`` + 1."""
        if self.keys is not None:
            return len(self.keys)
        # Without the order: PostgreSQL stops after limit + 1 matching rows instead of sorting them all.
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def more(self) -> bool:
        """More rows than ``limit``: only the first ``limit`` are on the pages."""
        return self.counted > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        qs = self.object_list
        if top <= bottom:
            rows = qs.none()
        elif self.keys is not None:
            rows = qs.filter(pk__in=self.keys[bottom:top])
        else:
            rows = qs.filter(pk__in=qs.values("pk")[bottom:top])
        return self._get_page(rows, number, self)
