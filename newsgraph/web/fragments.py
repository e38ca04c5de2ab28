"""Markup of the long repeated lists on the entity and stories pages (mention timeline, story rows), built here.

Jinja pays a context, a lookup and an autoescape call per printed expression; over a timeline of 50 mentions and an
entity's dozens of stories that was most of the entity page's rendering. Every value is escaped here, each once
(`views.html_text`: markupsafe's replacements, as autoescaping does), so the output is what the templates printed. tests/test_web_views.py
pins it to the old templates' markup with hostile strings.
"""
from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ..model import MentionInContext, StorySummary
from .templating import label_class
from .views import html_text as escape


def timeline_items(timeline: Iterable[tuple[MentionInContext, list[tuple[str, str | None]]]]) -> Markup:
    """The `<li>` of each mention in the entity's timeline: date, article link, the sentence with the mention
    marked (`views.context_pieces`)."""
    out = []
    for m, pieces in timeline:
        a = m.article
        date = escape(a.date) if a.date else None
        time = f'<time datetime="{date}">{date}</time>' if date else "<time>undated</time>"
        context = "".join(f'<mark class="ent {escape(label_class(label))}">{escape(text)}</mark>' if label
                          else escape(text) for text, label in pieces)
        out.append(f'    <li class="timeline-item">\n'
                   f'      {time}\n'
                   f'      <a class="timeline-article" href="/articles/{escape(a.id)}">'
                   f'{escape(a.title) if a.title else "(untitled)"}</a>\n'
                   f'      <q class="context">{context}</q>\n    </li>\n')
    return Markup("".join(out))


def story_rows(stories: Iterable[StorySummary]) -> Markup:
    """A `<li class="story-row">` per story: label linked to its page, dates and article count."""
    out = []
    for st in stories:
        span = escape(st.first_date) if st.first_date else "undated"
        if st.last_date and st.last_date != st.first_date:
            span = f"{span} – {escape(st.last_date)}"
        plural = "s" if st.articles != 1 else ""
        out.append(f'<li class="story-row"><a class="story-link" href="/stories/{escape(st.id)}">{escape(st.label)}</a>\n'
                   f'  <span class="meta">{span} · {escape(st.articles)} article{plural}</span></li>')
    return Markup("".join(out))
