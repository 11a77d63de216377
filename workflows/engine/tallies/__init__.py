"""The dashboard's summaries, kept current by the operations (issue 14: the
page stays fast at 100,000 cases): per procedure and day, how many cases
opened, closed, ended so, met each of its measures; and each person's cases
in the last year. `keeping` keeps them in each operation's transaction;
`rebuild` makes them from the cases, and checks them."""

from . import keeping  # noqa: F401  (its session hooks)
from .keeping import settle
from .rebuild import check, rebuild
from .subjects import refresh_due, repeats

__all__ = ["check", "rebuild", "refresh_due", "repeats", "settle"]
