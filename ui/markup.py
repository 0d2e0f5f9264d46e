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
# GitHub's markdown turns a bare www., http:// or e-mail address in text into a link after
# escapes are read, so no escape stops it; inside a code span nothing is a link, so such an
# address is shown as code: the same characters, plainly not a link.
_ADDRESS = re.compile(r"(?i)(?:\b(?:https?|ftp)://|\bmailto:|\bwww\.)\S*|[^\s@]+@[^\s@]+\.[^\s@]+")
_LINE_START = re.compile(r"(?m)^(\s*)([-+]|\d+[.)])")


def md(text) -> str:
    """`text` escaped so that markdown shows exactly its characters.

    Example:
        >>> print(md("**man**"), md("![a](http://x/y.png)"))
        \*\*man\*\* \!\[a\](`http://x/y.png)`
    """
    text, parts, last = str(text), [], 0
    for match in _ADDRESS.finditer(text):
        parts += [_escaped(text[last:match.start()]), _code(match.group())]
        last = match.end()
    parts.append(_escaped(text[last:]))
    # A list marker or "1." at the start of a line would turn the line into a list item.
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), "".join(parts))


def _escaped(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _code(text: str) -> str:
    # A fence one backtick longer than any run inside, spaced off a backtick at either end.
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


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
