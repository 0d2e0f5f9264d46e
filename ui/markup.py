"""Text from users, links and files, shown in Streamlit's markdown as the letters they typed.

Every `st.markdown`, `st.caption`, `st.success`/`info`/`warning`/`error` renders markdown, and
Streamlit's markdown goes further than CommonMark: `![a](http://…)` makes the browser fetch that
address as soon as the page is drawn, `[Log in](…)` is a real link, `$…$` is LaTeX, `:red[…]` a
colour and `:material/…:` an icon. A class name, a file name or a review quoted in a message
must never do any of that, so every user-supplied string passes through `md` (a string on its
own) or `md_message` (a message that quotes user values and uses `code` spans for names).

Pure string functions: tests call them without a browser.
"""

from __future__ import annotations

import re

# Every character that starts markdown, GitHub or Streamlit syntax in running text. A dot or a
# parenthesis starts nothing once `[`, `!` and `<` are escaped, so messages keep their look.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~:$!=^&])")
# GitHub's markdown links a bare www. or http:// in text; an escaped dot or colon is no link.
_AUTOLINK = re.compile(r"(?i)(www|https?|ftp|mailto)(\\?[.:])")
_LINE_START = re.compile(r"(?m)^(\s*)([-+]|\d+[.)])")


def md(text) -> str:
    """`text` escaped so that markdown shows exactly its characters.

    Example:
        >>> md("**man**"), md("![a](http://x/y.png)")
        ('\\\\*\\\\*man\\\\*\\\\*', '\\\\!\\\\[a\\\\](http\\\\://x/y.png)')
    """
    escaped = _SPECIAL.sub(r"\\\1", str(text))
    escaped = _AUTOLINK.sub(lambda m: m.group(1) + "\\" + m.group(2).lstrip("\\"), escaped)
    # A list marker or "1." at the start of a line would turn the line into a list item.
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def md_message(message) -> str:
    """A message for the page: its `code` spans kept, everything else escaped with `md`.

    The core's messages name arguments in backticks and quote what the user gave. With single
    backticks in pairs, markdown pairs them in order, as this split does, so user text lands
    either in a code span (shown literally) or in escaped text. Anything else (an odd count, a
    double backtick) is escaped whole.

    Example:
        >>> md_message("`vocab_size` must be at least 2. Received: name='[x](y)'")
        "`vocab_size` must be at least 2. Received\\\\: name\\\\='\\\\[x\\\\](y)'"
    """
    text = str(message)
    if "``" in text or text.count("`") % 2:
        return md(text)
    parts = text.split("`")
    return "`".join(part if i % 2 else md(part) for i, part in enumerate(parts))
