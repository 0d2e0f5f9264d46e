"""Small helpers for showing a computation as it goes, and text as typed. No Streamlit here."""

from __future__ import annotations

import html
import math
import time
from typing import Callable


class Throttle:
    """Says when something drawn often (a live chart) may be drawn again: at most once per
    `seconds`, and always the first time.

    >>> now = [0.0]
    >>> pace = Throttle(0.5, clock=lambda: now[0])
    >>> pace.ready(), pace.ready()
    (True, False)
    >>> now[0] = 0.6
    >>> pace.ready()
    True

    A browser needs a moment to lay out and paint each new chart; one replaced faster than that
    is never seen. `ready(force=True)` is for the last frame, which must always be drawn.
    """

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic):
        self.seconds, self.clock = float(seconds), clock
        self.last: float | None = None

    def ready(self, *, force: bool = False) -> bool:
        now = self.clock()
        if force or self.last is None or now - self.last >= self.seconds:
            self.last = now
            return True
        return False


def readable_number(value: float, digits: int = 4) -> str:
    """A metric as a person reads it: `digits` significant digits, powers of ten for huge or tiny
    values, "NaN" and "∞" for what is not a number, "—" for no value.

    >>> readable_number(0.03761), readable_number(4.0321326305096220e34), readable_number(float("nan"))
    ('0.03761', '4.032e+34', 'NaN')
    >>> readable_number(float("inf")), readable_number(-float("inf")), readable_number(None)
    ('∞', '-∞', '—')
    """
    if value is None:
        return "—"
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.{digits}g}"


def plotly_text(text) -> str:
    """Text as plotly must get it to show it as typed: <, > and & escaped, quotes left alone.

    Plotly draws labels, hovers and titles as HTML, so a word from a file or a name an attendee
    typed is escaped, never markup. plotly.js decodes &amp; &lt; &gt; and numeric entities but
    shows "&quot;" literally (the word " on a map read &quot;), so quotes stay as they are.

    >>> plotly_text('<b>"hi"</b>')
    '&lt;b&gt;"hi"&lt;/b&gt;'
    """
    return html.escape(str(text), quote=False)
