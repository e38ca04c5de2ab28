"""Markup of the long repeated lists on the pages, built here: article sentences and event cards, an entity's event
and mention timelines, story rows, search hits.

Jinja pays a context, a lookup and an autoescape call per printed expression, and a new context per include; over an
article's sentences and their mentions, its events, a timeline of 50 mentions and an entity's dozens of stories that
was most of those pages' rendering. Every value is escaped here, each once (`views.html_text`: markupsafe's escaping,
as autoescaping does), so the output is what the templates printed; tests/test_web_views.py pins it to the old
templates' markup with hostile strings.
"""
from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ..model import Event, MentionInContext, SearchHit, SentenceTrace, StorySummary
from .templating import label_class
from .views import Piece, SentenceView, attribution_label, marked_snippet, source_link
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


def sentence_rows(sentences: Iterable[SentenceView]) -> Markup:
    """The article page's sentence rows: the text with its mentions linked and its marked spans wrapped, and a
    margin with the sentence's provenance (`views.attach_provenance`)."""
    out = []
    for s in sentences:
        p = s.extras.get("provenance")
        css = " para-start" if s.paragraph_start else ""
        if p:
            css += f" prov-row-{escape(p.kind)}"
        text = "".join(_piece(piece) for piece in s.pieces)
        margin = _provenance(p) if p else ""
        out.append(f'<div class="sentence-row{css}" id="s{escape(s.index)}" data-sentence="{escape(s.index)}">\n'
                   f'  <p class="sentence">{text}</p>\n  <div class="margin">{margin}</div>\n</div>')
    return Markup("".join(out))


def _piece(piece: Piece) -> str:
    m = piece.mention
    if m is None:
        html = escape(piece.text)
    else:
        label = escape(m.label)
        html = (f'<a class="ent {escape(label_class(m.label))}" data-label="{label}" data-entity="{escape(m.entity_id)}"'
                f' href="/entities/{escape(m.entity_id)}" title="{label}: {escape(m.name)}">{escape(piece.text)}</a>')
    if not piece.mark:
        return html
    title = ' title="copied from an earlier article"' if piece.mark == "lifted" else ""
    return f'<mark class="{escape(piece.mark)}"{title}>{html}</mark>'


def _provenance(p: SentenceTrace) -> str:
    """Its kind, and for a copy the similarity to the earliest source, the share copied and a link to it."""
    kind = escape(p.kind)
    n = len(p.matches)
    out = [f'<span class="prov prov-{kind}" title="{n} matching sentence{"s" if n != 1 else ""} elsewhere">'
           f'{kind}</span>\n']
    src = p.source
    if src:
        out.append(f'<span class="prov-sim" title="similarity to the earliest source">{escape("%.2f" % src.similarity)}'
                   '</span>\n')
        if p.kind == "partial":
            out.append('<span class="prov-copied" title="share of this sentence\'s words copied">'
                       f'{escape(f"{round(100 * p.copied)}%")} copied</span>')
        title = "earliest source" + (f": {escape(src.url)}" if src.url else "")
        title += ", copied span marked" if p.kind == "partial" else ""
        out.append(f'<a class="prov-source" href="{escape(source_link(p))}" title="{title}">'
                   f'from {escape(src.date) if src.date else "source"}</a>\n')
    return "".join(out)


# An argument resolved through one of these says so; one resolved through a descriptor shows the entity's name.
_PLAIN_VIA = ("in the sentence", "the article's main company", "the article's main country")  # events/arguments.py


def event_cards(events: list[Event], min_confidence: float) -> Markup:
    """The article page's events section: a card per event, most confident first as given, those under
    `min_confidence` folded away as uncertain."""
    sure = [e for e in events if e.score >= min_confidence]
    unsure = [e for e in events if not e.score >= min_confidence]
    out = [f'<section class="events" aria-label="Events">\n  <h2>Events <span class="meta">{len(sure)}</span></h2>\n']
    if sure:
        out.append(f'  <ol class="event-cards">\n{"".join(_card(e) for e in sure)}  </ol>\n')
    else:
        out.append('  <p class="meta">No business event found with confidence.</p>\n')
    if unsure:
        n = len(unsure)
        out.append(f'  <details class="uncertain-events">\n    <summary>{n} uncertain event{"s" if n != 1 else ""}'
                   f' (under {escape("%.0f" % (min_confidence * 100))}% sure)</summary>\n'
                   f'    <ol class="event-cards">\n{"".join(_card(e, True) for e in unsure)}    </ol>\n  </details>\n')
    out.append("</section>")
    return Markup("".join(out))


def _card(e: Event, tentative: bool = False) -> str:
    subtype = f" · {escape(e.subtype)}" if e.subtype else ""
    out = [f'    <li class="event-card{" tentative" if tentative else ""}" id="e{escape(e.id)}"'
           f' data-sentence="{escape(e.sentence)}">\n'
           f'      <div class="event-head"><span class="event-type">{escape(e.type)}{subtype}</span>\n'
           f'        <a class="event-trigger" href="#s{escape(e.sentence)}" title="the sentence">“{escape(e.trigger)}”</a>\n'
           f'        <span class="event-sure meta" title="the probability that this is a real event of this type">'
           f'{escape("%.0f" % (e.score * 100))}% sure</span></div>\n{event_badges(e)}']
    if e.arguments:
        out.append('      <dl class="event-args">\n')
        for arg in e.arguments:
            if arg.entity_id:
                value = (f'<a class="ent {escape(label_class(arg.entity_label))}" href="/entities/{escape(arg.entity_id)}"'
                         f' title="{escape(arg.entity_label)}: {escape(arg.entity_name)}">{escape(arg.text)}</a>')
                if arg.via:
                    value += f' <span class="meta">({escape(arg.via if arg.via in _PLAIN_VIA else arg.entity_name)})</span>'
            else:
                value = escape(arg.text)
            out.append(f'        <dt>{escape(arg.role)}</dt>\n        <dd class="arg-{escape(arg.kind)}">{value}</dd>\n')
        out.append("      </dl>\n")
    out.append("    </li>\n")
    return "".join(out)


def event_badges(e: Event) -> str:
    """Modality, polarity, attribution and tags of one event: "planned · according to: the people"."""
    modality = escape(e.modality)
    out = [f'<span class="badges"><span class="badge modality modality-{modality}" title="modality">{modality}</span>']
    if e.polarity == "negated":
        out.append(' <span class="badge polarity-negated" title="polarity">negated</span>')
    said = attribution_label(e.attribution)
    if said:
        cue = f' title="cue: {escape(e.attribution.cue)}"' if e.attribution.cue else ""
        out.append(f' <span class="sep">·</span> <span class="badge attribution attribution-{escape(e.attribution.kind)}"'
                   f'{cue}>{escape(said)}</span>')
    out.extend(f' <span class="badge tag">{escape(tag)}</span>' for tag in e.tags)
    out.append("</span>")
    return "".join(out)


def event_timeline(events: list[Event]) -> Markup:
    """The entity page's events section: each event's date, type, badges, article link and sentence."""
    n = len(events)
    out = [f'<section class="entity-events">\n  <h2>Timeline of events <span class="meta">{n}</span></h2>\n']
    if not events:
        out.append("  <p>No business event names this entity.</p>\n</section>")
        return Markup("".join(out))
    out.append('  <ol class="event-timeline">\n')
    for e in events:
        a = e.article
        date = escape(a.date) if a.date else None
        subtype = f" · {escape(e.subtype)}" if e.subtype else ""
        context = f'<q class="context">{escape(e.sentence_text)}</q>' if e.sentence_text else ""
        out.append(f'    <li class="event-item modality-row-{escape(e.modality)}">\n'
                   f'      <time {f"datetime={chr(34)}{date}{chr(34)}" if date else ""}>{date or "undated"}</time>\n'
                   f'      <span class="event-type">{escape(e.type)}{subtype}</span>\n'
                   f'{event_badges(e)}      <a class="event-article" href="/articles/{escape(a.id)}#s{escape(e.sentence)}">'
                   f'{escape(a.title) if a.title else "(untitled)"}</a>\n      {context}    </li>\n')
    out.append("  </ol>\n</section>")
    return Markup("".join(out))


def search_hits(hits: Iterable[SearchHit]) -> Markup:
    """A `<li class="hit">` per search hit: the article link, its date and the snippet with the matches marked
    (`views.marked_snippet`: escaped first, then the store's private-use marks become `<mark>`)."""
    out = []
    for hit in hits:
        a = hit.article
        snippet = marked_snippet(hit.snippet)
        out.append(f'    <li class="hit">\n'
                   f'      <a href="/articles/{escape(a.id)}#s{escape(hit.sentence_index)}">'
                   f'{escape(a.title) if a.title else "(untitled)"}</a>\n'
                   f'      <span class="meta">{escape(a.date) if a.date else ""}</span>\n'
                   f'      <p class="snippet">{snippet}</p>\n    </li>\n')
    return Markup("".join(out))
