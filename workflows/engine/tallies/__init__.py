"""The dashboard's summaries, kept current from what the operations record
(issue 14: the page stays fast at 100,000 cases): per procedure and day,
how many cases opened, closed, ended so, met each of its measures; and each
person's cases in the last year. `keeping` records each operation's changes
in its own transaction and folds them in; `rebuild` makes the tallies from
the cases, and checks them."""

from . import keeping  # noqa: F401  (its session hooks)
from .keeping import fold, settle
from .rebuild import check, rebuild
from .subjects import refresh_due, repeats

__all__ = ["check", "fold", "rebuild", "refresh_due", "repeats", "settle"]
