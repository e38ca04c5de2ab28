"""Pure view helpers: cutting sentences into mention pieces, snippet marks, safe links, the graph layout."""
from __future__ import annotations

from newsgraph.cli.serve import is_loopback
from newsgraph.model import (
    MARK_CLOSE,
    MARK_OPEN,
    ArticleSummary,
    ArticleTrace,
    Attribution,
    EntityDetail,
    EntitySummary,
    Neighbour,
    SentenceTrace,
    SourceRef,
    StoredMention,
)
from newsgraph.web import graphsvg
from newsgraph.web.views import (
    SentenceView,
    attach_provenance,
    attribution_label,
    context_pieces,
    cut,
    marked_snippet,
    safe_href,
)


def mention(start, end, text, label="ORG", entity_id=1):
    return StoredMention(entity_id=entity_id, label=label, name=text, text=text, start=start, end=end, sentence=0)


def test_cut_keeps_every_character_and_skips_overlaps():
    text = "Apple and Samsung Electronics Co. compete."
    base = 100
    ms = [mention(110, 133, "Samsung Electronics Co."), mention(100, 105, "Apple"), mention(110, 117, "Samsung")]
    pieces = cut(text, base, ms)
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, p.mention is not None) for p in pieces] == [
        ("Apple", True), (" and ", False), ("Samsung Electronics Co.", True), (" compete.", False)]


def test_cut_ignores_spans_outside_the_sentence():
    assert [p.text for p in cut("Short.", 0, [mention(3, 40, "x")])] == ["Short."]


def test_context_pieces():
    assert context_pieces("We met Xiaomi.", 7, 13, "ORG") == [("We met ", None), ("Xiaomi", "ORG"), (".", None)]
    assert context_pieces("Bad offsets", 5, 50, "ORG") == [("Bad offsets", None)]


def test_marked_snippet_escapes_then_marks():
    html = str(marked_snippet(f"<b>{MARK_OPEN}Xiaomi{MARK_CLOSE}</b> & co"))
    assert html == "&lt;b&gt;<mark>Xiaomi</mark>&lt;/b&gt; &amp; co"


def test_safe_href():
    assert safe_href("https://example.com/a?b=1") == "https://example.com/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example", "/relative",
                None, "", "http://"):
        assert safe_href(bad) is None


def test_layout_places_neighbours_on_a_ring():
    def summary(i, name):
        return EntitySummary(id=i, label="ORG", name=name, mentions=5, articles=4, aliases=[])

    detail = EntityDetail(entity=summary(1, "Xiaomi"), mentions=[],
                          neighbours=[Neighbour(summary(i, f"N{i}"), articles=5 - i) for i in range(2, 5)])
    lay = graphsvg.layout(detail, [(1, 2, 3), (1, 3, 2), (1, 4, 1), (2, 3, 1), (2, 99, 7)])
    centre = lay.nodes[0]
    assert centre.centre and (centre.x, centre.y) == (lay.width / 2, lay.height / 2)
    for n in lay.nodes[1:]:
        assert abs(((n.x - centre.x) ** 2 + (n.y - centre.y) ** 2) ** 0.5 - graphsvg.RING) < 1
        assert 0 <= n.x <= lay.width and 0 <= n.y <= lay.height
    assert len(lay.edges) == 4  # the edge to an entity not shown is dropped
    assert lay.edges[-1].articles == 3 and lay.edges[-1].a.centre  # spokes drawn last, widest on top


def test_layout_keeps_only_the_strongest_chords():
    def summary(i):
        return EntitySummary(id=i, label="GPE", name=f"E{i}", mentions=9, articles=9, aliases=[])

    ring = range(2, 22)
    detail = EntityDetail(entity=summary(1), mentions=[], neighbours=[Neighbour(summary(i), articles=5) for i in ring])
    links = [(1, i, 5) for i in ring] + [(a, b, a + b) for a in ring for b in ring if a < b]
    lay = graphsvg.layout(detail, links)
    chords = [e for e in lay.edges if not (e.a.centre or e.b.centre)]
    assert len(chords) == graphsvg.MAX_CHORDS and len(lay.edges) == graphsvg.MAX_CHORDS + 20
    strongest = sorted((a + b for a in ring for b in ring if a < b), reverse=True)[:graphsvg.MAX_CHORDS]
    assert sorted((e.articles for e in chords), reverse=True) == strongest


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.3.2.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.com")


def test_token_is_compared_in_constant_time(monkeypatch):
    import hmac

    from newsgraph.api import security

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(security.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    assert security.token_matches("s3cret-token", "s3cret-token")
    assert not security.token_matches("s3cret-token", "s3cret-tokeX")
    assert not security.token_matches("s3cret-token", None) and not security.token_matches("s3cret-token", "")
    assert calls == [(b"s3cret-token", b"s3cret-token"), (b"s3cret-token", b"s3cret-tokeX")]


def test_attribution_label():
    assert attribution_label(Attribution()) is None
    assert attribution_label(Attribution("anonymous", "the people", "said")) == "according to: the people"
    assert attribution_label(Attribution("named", "Bloomberg", "reports")) == "according to: Bloomberg"
    assert attribution_label(Attribution("anonymous", None, "reportedly")) == "according to: unnamed sources"


def test_attach_provenance_puts_each_trace_on_its_sentence():
    views = [SentenceView(index=i, pieces=[], paragraph_start=False) for i in range(2)]
    source = SourceRef(article_id=7, url=None, date="2017-12-14", similarity=1.0)
    sentences = [SentenceTrace("A.", 0, 2, "original", None, []), SentenceTrace("B.", 3, 5, "verbatim", source, [])]
    trace = ArticleTrace(article=ArticleSummary(1, None, None, None, None), originality=0.5, stitched=False,
                         sources=[], credited=[], sentences=sentences)
    assert [v.extras["provenance"].kind for v in attach_provenance(views, trace)] == ["original", "verbatim"]
    assert views[1].extras["provenance"].source.article_id == 7
    assert attach_provenance([SentenceView(0, [], True)], None)[0].extras == {}


def test_story_chart_places_articles_and_events_on_one_date_axis():
    from newsgraph.model import StoryDetail, StorySummary, TimelineItem
    from newsgraph.web import storysvg

    def art(i: int, day: str | None) -> TimelineItem:
        return TimelineItem(day, "article", ArticleSummary(i, None, f"A{i}", day, None), "")

    def ev(i: int, day: str, kind: str, modality: str, polarity: str = "positive", shift=None) -> TimelineItem:
        return TimelineItem(day, "event", ArticleSummary(i, None, f"A{i}", day, None), "x", kind, modality, polarity,
                            shift)

    items = [art(1, "2017-12-01"), ev(1, "2017-12-01", "Deal", "planned"), art(2, "2017-12-01"),
             art(3, "2017-12-11"), ev(3, "2017-12-11", "Deal", "certain", shift="planned -> certain"),
             ev(3, "2017-12-11", "Facility", "possible", "negated"), ev(3, "2017-12-11", "Deal", "reported"),
             art(4, None)]
    chart = storysvg.layout(StoryDetail(StorySummary(1, "L", "2017-12-01", "2017-12-11", 4), [], items))
    left, right = storysvg.LEFT + storysvg.PAD, storysvg.WIDTH - storysvg.RIGHT - storysvg.PAD
    assert [(b.day, b.articles) for b in chart.bars] == [("2017-12-01", 2), ("2017-12-11", 1)]
    assert chart.bars[0].height == 2 * chart.bars[1].height  # bars scale with the day's articles
    assert [lane.name for lane in chart.lanes] == ["Deal", "Facility"]  # most reported first
    deal = [m for m in chart.marks if m.event_type == "Deal"]
    step = storysvg.STEP / 2  # two events of one type on one day sit side by side
    assert [(m.x, m.modality, m.shift) for m in deal] == [(left, "planned", None),
                                                         (right - step, "certain", "planned -> certain"),
                                                         (right + step, "reported", None)]
    assert [m.negated for m in chart.marks if m.event_type == "Facility"] == [True]
    assert chart.ticks[0].day == "2017-12-01" and chart.ticks[-1].day == "2017-12-11" and chart.undated == 1
    assert storysvg.layout(StoryDetail(StorySummary(2, "L", None, None, 1), [], [art(5, None)])) is None


# The template graphsvg.svg replaced (autoescaping every number); kept here to pin that the markup is the same.
_OLD_GRAPH_TEMPLATE = """<svg class="cooccurrence" viewBox="0 0 {{ layout.width }} {{ layout.height }}" role="img" aria-label="Co-occurrence graph of {{ name }}">
  <g class="edges">
  {% for edge in layout.edges %}
    <line x1="{{ edge.a.x }}" y1="{{ edge.a.y }}" x2="{{ edge.b.x }}" y2="{{ edge.b.y }}" stroke-width="{{ edge.width }}" class="edge{% if edge.a.centre or edge.b.centre %} spoke{% endif %}"><title>{{ edge.a.name }} – {{ edge.b.name }}: {{ edge.articles }} shared articles</title></line>
  {% endfor %}
  </g>
  <g class="nodes">
  {% for node in layout.nodes %}
    <a href="/entities/{{ node.id }}" class="node {{ node.label|label_class }}{% if node.centre %} centre{% endif %}" data-entity="{{ node.id }}">
      <circle cx="{{ node.x }}" cy="{{ node.y }}" r="{{ node.r }}"><title>{{ node.name }} ({{ node.label }}){% if not node.centre %}: {{ node.shared }} shared articles{% endif %}</title></circle>
      <text x="{{ node.x }}" y="{{ node.y + node.r + 12 }}" text-anchor="middle">{{ node.name|truncate(24, True, "…") }}</text>
    </a>
  {% endfor %}
  </g>
</svg>
"""


def test_graph_svg_is_the_old_templates_markup_with_names_escaped():
    from newsgraph.web.templating import get_templates

    names = ['<script>alert("x")</script>', "A & B \"quoted\" 'single'", "x" * 29, "y" * 30, "Ünïcode – name"]
    ents = [EntitySummary(id=i + 1, label=["ORG", "PERSON", "GPE", "DATE", "WORK_OF_ART"][i], name=n, mentions=5,
                          articles=4, aliases=[]) for i, n in enumerate(names)]
    detail = EntityDetail(entity=ents[0], mentions=[], neighbours=[Neighbour(e, articles=7 - i)
                                                                   for i, e in enumerate(ents[1:])])
    lay = graphsvg.layout(detail, [(1, 2, 3), (1, 3, 2), (1, 4, 1), (2, 3, 1), (3, 5, 2)])
    old = get_templates().env.from_string(_OLD_GRAPH_TEMPLATE).render(layout=lay, name=names[0])
    new = str(graphsvg.svg(lay, names[0]))
    assert " ".join(new.split()) == " ".join(old.split())
    assert "<script>" not in new and "&lt;script&gt;" in new and "&#34;quoted&#34;" in new


# The markup web/fragments.py replaced, as the templates had it (the timeline's loop, partials/story_row.html).
_OLD_TIMELINE_TEMPLATE = """\
  {% for m, pieces in timeline %}
    <li class="timeline-item">
      <time {% if m.article.date %}datetime="{{ m.article.date }}"{% endif %}>{{ m.article.date or "undated" }}</time>
      <a class="timeline-article" href="/articles/{{ m.article.id }}">{{ m.article.title or "(untitled)" }}</a>
      <q class="context">{% for text, label in pieces %}{% if label %}<mark class="ent {{ label|label_class }}">{{ text }}</mark>{% else %}{{ text }}{% endif %}{% endfor %}</q>
    </li>
  {% endfor %}
"""
_OLD_STORY_ROW_TEMPLATE = """\
{% for st in stories %}<li class="story-row"><a class="story-link" href="/stories/{{ st.id }}">{{ st.label }}</a>
  <span class="meta">{{ st.first_date or "undated" }}{% if st.last_date and st.last_date != st.first_date %} – {{ st.last_date }}{% endif %} · {{ st.articles }} article{{ "s" if st.articles != 1 else "" }}</span></li>{% endfor %}
"""  # story_row.html as its include printed it: no whitespace between rows
_HOSTILE = ['<script>alert("x")</script>', "A & B \"quoted\" 'single'", "Ünïcode – name", "</q><img src=x onerror=1>"]


def _same_markup(new: str, old: str) -> bool:
    """Equal up to whitespace between tokens (the template's `<time >` when undated is the fragment's `<time>`)."""
    def norm(s: str) -> str:
        return " ".join(s.split()).replace(" >", ">")
    return norm(new) == norm(old)


def test_timeline_items_are_the_old_templates_markup_with_every_string_escaped():
    from newsgraph.model import MentionInContext
    from newsgraph.web import fragments
    from newsgraph.web.templating import get_templates

    rows = []
    for i, s in enumerate(_HOSTILE):
        article = ArticleSummary(id=i + 1, url=None, title=s if i % 2 == 0 else None, date=s if i != 1 else None,
                                 site=None)
        sentence = f"{s} said {s} today."
        m = MentionInContext(article=article, sentence=sentence, text=s, start=0, end=len(s))
        label = ["ORG", "<b>X</b>", "PERSON", "GPE"][i]
        rows.append((m, context_pieces(sentence, m.start, m.end, label)))
    rows.append((rows[0][0], context_pieces("no mark here <i>", 5, 99, "ORG")))  # out of range: one plain piece
    old = get_templates().env.from_string(_OLD_TIMELINE_TEMPLATE).render(timeline=rows)
    new = str(fragments.timeline_items(rows))
    assert _same_markup(new, old)
    assert "<script>" not in new and "<img" not in new and "<b>" not in new
    assert "&lt;script&gt;" in new and "&#34;quoted&#34;" in new and "&#39;single&#39;" in new
    assert "(untitled)" in new and "undated" in new


def test_story_rows_are_the_old_templates_markup_with_every_string_escaped():
    from newsgraph.model import StorySummary
    from newsgraph.web import fragments
    from newsgraph.web.templating import get_templates

    stories = [StorySummary(id=i + 1, label=s, first_date=[s, None, "2020-01-02", "2020-01-02"][i],
                            last_date=[s + "!", "2020-01-03", "2020-01-02", None][i], articles=[1, 2, 0, 7][i])
               for i, s in enumerate(_HOSTILE)]
    old = get_templates().env.from_string(_OLD_STORY_ROW_TEMPLATE).render(stories=stories)
    new = str(fragments.story_rows(stories))
    assert _same_markup(new, old)
    assert "<script>" not in new and "&lt;script&gt;" in new and "1 article<" in new and "2 articles<" in new


def test_html_text_is_markupsafes_escape_as_a_str(monkeypatch):
    from markupsafe import escape

    from newsgraph.web import views
    from newsgraph.web.views import html_text

    values = [*_HOSTILE, "", "&amp; already", "a<b>c&d\"e'f", 42, None, "\u2028 – ü"]
    for value in values:
        assert html_text(value) == str(escape(value))
        assert type(html_text(value)) is str
    monkeypatch.setattr(views, "_escape_inner", None)  # the fallback, for a markupsafe without the private helper
    for value in values:
        assert html_text(value) == str(escape(value))
    assert not hasattr(html_text("<x>"), "__html__")  # a str: never trusted as markup by Jinja


# partials/sentence.html, mention.html and sentence_provenance.html as they were before fragments.sentence_rows
# replaced them, and article.html's loop over them; rendered with the pages' environment to pin the markup.
_OLD_SENTENCE_PARTIALS = {
    "rows.html": """\
    {% for s in sentences %}
      {% include "partials/sentence.html" %}
    {% endfor %}
""",
    "partials/sentence.html": """\
{# One sentence row: the text with entity mentions and copied spans highlighted, and a margin for per-sentence marks. #}
<div class="sentence-row{% if s.paragraph_start %} para-start{% endif %}{% if s.extras.get("provenance") %} prov-row-{{ s.extras["provenance"].kind }}{% endif %}" id="s{{ s.index }}" data-sentence="{{ s.index }}">
  <p class="sentence">{% for piece in s.pieces %}{% if piece.mark %}<mark class="{{ piece.mark }}"{% if piece.mark == "lifted" %} title="copied from an earlier article"{% endif %}>{% endif %}{% if piece.mention %}{% include "partials/mention.html" %}{% else %}{{ piece.text }}{% endif %}{% if piece.mark %}</mark>{% endif %}{% endfor %}</p>
  <div class="margin">{% include "partials/sentence_provenance.html" %}</div>
</div>
""",
    "partials/mention.html": """\
<a class="ent {{ piece.mention.label|label_class }}" data-label="{{ piece.mention.label }}" data-entity="{{ piece.mention.entity_id }}" href="/entities/{{ piece.mention.entity_id }}" title="{{ piece.mention.label }}: {{ piece.mention.name }}">{{ piece.text }}</a>""",
    "partials/sentence_provenance.html": """\
{# Where this sentence came from: its provenance kind and, for a copy, a link to its earliest source. #}
{% set p = s.extras.get("provenance") %}
{% if p %}
<span class="prov prov-{{ p.kind }}" title="{{ p.matches|length }} matching sentence{{ 's' if p.matches|length != 1 else '' }} elsewhere">{{ p.kind }}</span>
{% if p.source %}
<span class="prov-sim" title="similarity to the earliest source">{{ "%.2f"|format(p.source.similarity) }}</span>
{% if p.kind == "partial" %}<span class="prov-copied" title="share of this sentence's words copied">{{ p.copied|percent }} copied</span>{% endif %}
<a class="prov-source" href="{{ p|source_link }}" title="earliest source{% if p.source.url %}: {{ p.source.url }}{% endif %}{% if p.kind == 'partial' %}, copied span marked{% endif %}">from {{ p.source.date or "source" }}</a>
{% endif %}
{% endif %}
"""}


def test_sentence_rows_are_the_old_partials_markup_with_every_string_escaped():
    from jinja2 import DictLoader

    from newsgraph.model import TraceMatch
    from newsgraph.web import fragments
    from newsgraph.web.templating import get_templates
    from newsgraph.web.views import mark

    views, traces = [], []
    for i, s in enumerate(_HOSTILE):
        text = f"{s} met {s}. {s}"  # the last one plain text
        mentions = [mention(0, len(s), s, label=["ORG", "<b>X</b>", "PERSON", "GPE"][i], entity_id=i + 1),
                    mention(len(s) + 5, 2 * len(s) + 5, s, label="ORG", entity_id=99)]
        views.append(SentenceView(index=i, pieces=cut(text, 0, mentions), paragraph_start=i % 2 == 0))
        kind = ["original", "verbatim", "partial", "near"][i]
        source = None if kind == "original" else SourceRef(
            article_id=7 + i, url=[None, s, s, "https://e.org/?a=1&b=2"][i], date=[None, None, s, "2017-01-02"][i],
            similarity=0.876, sentence=i, span=(0, 4), source_span=(2, 9), source_offset=40)
        match = TraceMatch(article_id=7, url=s, date=s, kind=kind, similarity=0.9)
        traces.append(SentenceTrace(text, 0, len(text), kind, source, [match] * i, copied=0.375,
                                    spans=[(1, len(s) + 7)] if kind == "partial" else []))
    views.append(SentenceView(index=9, pieces=[], paragraph_start=False))  # no trace: nothing in the margin
    trace = ArticleTrace(article=ArticleSummary(1, None, None, None, None), originality=0.5, stitched=False,
                         sources=[], credited=[], sentences=traces)
    attach_provenance(views, trace)
    views[3].pieces = mark(views[3].pieces, 2, 9, "source-span")
    env = get_templates().env.overlay(loader=DictLoader(_OLD_SENTENCE_PARTIALS))
    old = env.get_template("rows.html").render(sentences=views)
    new = str(fragments.sentence_rows(views))
    assert _same_markup(new, old)
    assert "<script>" not in new and "<img" not in new and "<b>" not in new
    assert "&lt;script&gt;" in new and "&#34;quoted&#34;" in new and "&#39;single&#39;" in new
    assert '<mark class="lifted" title="copied from an earlier article">' in new and "38% copied" in new
    assert 'href="/articles/9?mark=42-49#s2"' in new and "prov-row-original" in new


# partials/event_badges.html, which both event lists included, before fragments.event_badges replaced it.
_OLD_EVENT_BADGES = """\
{# Modality, polarity and attribution of one event `e`: "planned · according to: the people". #}
<span class="badges"><span class="badge modality modality-{{ e.modality }}" title="modality">{{ e.modality }}</span>
{%- if e.polarity == "negated" %} <span class="badge polarity-negated" title="polarity">negated</span>{% endif %}
{%- set said = e.attribution|attribution %}
{%- if said %} <span class="sep">·</span> <span class="badge attribution attribution-{{ e.attribution.kind }}"{% if e.attribution.cue %} title="cue: {{ e.attribution.cue }}"{% endif %}>{{ said }}</span>{% endif %}
{%- for tag in e.tags %} <span class="badge tag">{{ tag }}</span>{% endfor %}</span>
"""
# partials/article_events.html as it was before fragments.event_cards replaced it.
_OLD_ARTICLE_EVENTS = """\
{# The article's events as cards, most confident first: type, trigger, how sure, participants and arguments (linked
   to entity pages), badges. Events under the default confidence are folded away as uncertain. #}
{% macro card(e, tentative=False) %}
    <li class="event-card{% if tentative %} tentative{% endif %}" id="e{{ e.id }}" data-sentence="{{ e.sentence }}">
      <div class="event-head"><span class="event-type">{{ e.type }}{% if e.subtype %} · {{ e.subtype }}{% endif %}</span>
        <a class="event-trigger" href="#s{{ e.sentence }}" title="the sentence">“{{ e.trigger }}”</a>
        <span class="event-sure meta" title="the probability that this is a real event of this type">{{ '%.0f'|format(e.score * 100) }}% sure</span></div>
      {% include "partials/event_badges.html" %}
      {% if e.arguments %}
      <dl class="event-args">
      {% for arg in e.arguments %}
        <dt>{{ arg.role }}</dt>
        <dd class="arg-{{ arg.kind }}">{% if arg.entity_id %}<a class="ent {{ arg.entity_label|label_class }}" href="/entities/{{ arg.entity_id }}" title="{{ arg.entity_label }}: {{ arg.entity_name }}">{{ arg.text }}</a>{% if arg.via %} <span class="meta">({{ arg.via if arg.via in ("in the sentence", "the article's main company", "the article's main country") else arg.entity_name }})</span>{% endif %}{% else %}{{ arg.text }}{% endif %}</dd>
      {% endfor %}
      </dl>
      {% endif %}
    </li>
{% endmacro %}
{% set sure = events|selectattr("score", "ge", min_confidence)|list %}
{% set unsure = events|rejectattr("score", "ge", min_confidence)|list %}
<section class="events" aria-label="Events">
  <h2>Events <span class="meta">{{ sure|length }}</span></h2>
  {% if sure %}
  <ol class="event-cards">
  {% for e in sure %}{{ card(e) }}{% endfor %}
  </ol>
  {% else %}
  <p class="meta">No business event found with confidence.</p>
  {% endif %}
  {% if unsure %}
  <details class="uncertain-events">
    <summary>{{ unsure|length }} uncertain event{{ "s" if unsure|length != 1 else "" }} (under {{ '%.0f'|format(min_confidence * 100) }}% sure)</summary>
    <ol class="event-cards">
    {% for e in unsure %}{{ card(e, True) }}{% endfor %}
    </ol>
  </details>
  {% endif %}
</section>
"""


def test_event_cards_are_the_old_partials_markup_with_every_string_escaped():
    from jinja2 import ChoiceLoader, DictLoader

    from newsgraph.model import Event, EventArgument
    from newsgraph.web import fragments
    from newsgraph.web.templating import get_templates

    events = []
    for i, s in enumerate(_HOSTILE):
        args = [EventArgument(role=s, kind=["participant", "filler"][i % 2], text=s, start=0, end=3,
                              entity_id=[None, 5, 6, 7][i], entity_name=s + "!", entity_label=["ORG", s, "GPE", None][i],
                              via=[None, "in the sentence", s, "the article's main company"][i]),
                EventArgument(role="Price", kind="filler", text="$5 & <more>", start=4, end=9)]
        events.append(Event(type=s, subtype=[None, s, "x", ""][i], trigger=s, start=0, end=3, sentence=i,
                            modality=["certain", s, "planned", "reported"][i],
                            polarity=["positive", "negated", s, "negated"][i],
                            attribution=Attribution(*[("none", None, None), ("named", s, s), ("anonymous", None, s),
                                                      ("named", s, None)][i]),
                            arguments=args[:i % 3], tags=[(), (s,), ("exclusive", s), ()][i],
                            score=[0.95, 0.2, 0.5, 0.499][i], id=i + 1))
    env = get_templates().env
    env = env.overlay(loader=ChoiceLoader([DictLoader({"events.html": _OLD_ARTICLE_EVENTS,
                                                           "partials/event_badges.html": _OLD_EVENT_BADGES}), env.loader]))
    for chosen in (events, events[:1], events[1:2], []):
        old = env.get_template("events.html").render(events=chosen, min_confidence=0.5)
        new = str(fragments.event_cards(chosen, 0.5))
        assert _same_markup(new, old), chosen
    new = str(fragments.event_cards(events, 0.5))
    assert "<script>" not in new and "<img" not in new and "&lt;script&gt;" in new and "&#39;single&#39;" in new
    assert "2 uncertain events (under 50% sure)" in new and "95% sure" in new


def test_an_argument_found_through_the_articles_main_country_says_so_not_the_countrys_name_twice():
    from newsgraph.model import Event, EventArgument
    from newsgraph.web import fragments

    arg = EventArgument(role="Party", kind="participant", text="China", start=0, end=5, entity_id=3,
                        entity_name="China", entity_label="GPE", via="the article's main country")
    event = Event(type="Deal", subtype=None, trigger="deal", start=0, end=4, sentence=0, modality="certain",
                  polarity="positive", attribution=Attribution("none", None, None), arguments=[arg], tags=(),
                  score=0.9, id=1)
    html = str(fragments.event_cards([event], 0.5))
    assert "(the article&#39;s main country)" in html and "(China)" not in html


# partials/entity_events.html as it was before fragments.event_timeline replaced it.
_OLD_ENTITY_EVENTS = """\
{# The entity's events ordered by article date, oldest first, with type and modality. #}
<section class="entity-events">
  <h2>Timeline of events <span class="meta">{{ events|length }}</span></h2>
  {% if events %}
  <ol class="event-timeline">
  {% for e in events %}
    <li class="event-item modality-row-{{ e.modality }}">
      <time {% if e.article.date %}datetime="{{ e.article.date }}"{% endif %}>{{ e.article.date or "undated" }}</time>
      <span class="event-type">{{ e.type }}{% if e.subtype %} · {{ e.subtype }}{% endif %}</span>
      {% include "partials/event_badges.html" %}
      <a class="event-article" href="/articles/{{ e.article.id }}#s{{ e.sentence }}">{{ e.article.title or "(untitled)" }}</a>
      {% if e.sentence_text %}<q class="context">{{ e.sentence_text }}</q>{% endif %}
    </li>
  {% endfor %}
  </ol>
  {% else %}
  <p>No business event names this entity.</p>
  {% endif %}
</section>
"""


def test_event_timeline_is_the_old_partials_markup_with_every_string_escaped():
    from jinja2 import ChoiceLoader, DictLoader

    from newsgraph.model import Event
    from newsgraph.web import fragments
    from newsgraph.web.templating import get_templates

    events = []
    for i, s in enumerate(_HOSTILE):
        article = ArticleSummary(id=i + 1, url=None, title=s if i % 2 == 0 else None, date=s if i != 1 else None,
                                 site=None)
        events.append(Event(type=s, subtype=[None, s, "x", ""][i], trigger=s, start=0, end=3, sentence=i,
                            modality=["certain", s, "planned", "reported"][i], polarity=["positive", "negated"][i % 2],
                            attribution=Attribution(*[("none", None, None), ("named", s, s)][i % 2]),
                            tags=[(), (s,)][i % 2], score=0.9, id=i + 1, article=article,
                            sentence_text=[s, None, "", s + " said"][i]))
    env = get_templates().env
    env = env.overlay(loader=ChoiceLoader([DictLoader({"events.html": _OLD_ENTITY_EVENTS,
                                                           "partials/event_badges.html": _OLD_EVENT_BADGES}), env.loader]))
    for chosen in (events, events[1:2], []):
        old = env.get_template("events.html").render(events=chosen)
        new = str(fragments.event_timeline(chosen))
        assert _same_markup(new, old), chosen
    new = str(fragments.event_timeline(events))
    assert "<script>" not in new and "<img" not in new and "&lt;script&gt;" in new and "&#39;single&#39;" in new
    assert "undated" in new and "(untitled)" in new


# search.html's loop over the hits before fragments.search_hits replaced it.
_OLD_SEARCH_HITS = """\
  {% for hit in hits %}
    <li class="hit">
      <a href="/articles/{{ hit.article.id }}#s{{ hit.sentence_index }}">{{ hit.article.title or "(untitled)" }}</a>
      <span class="meta">{{ hit.article.date or "" }}</span>
      <p class="snippet">{{ hit.snippet|snippet }}</p>
    </li>
  {% endfor %}
"""


def test_search_hits_are_the_old_templates_markup_with_every_string_escaped():
    from newsgraph.model import SearchHit
    from newsgraph.web import fragments
    from newsgraph.web.templating import get_templates

    hits = [SearchHit(article=ArticleSummary(id=i + 1, url=s, title=s if i % 2 == 0 else None,
                                             date=s if i != 1 else None, site=s),
                      sentence_index=i, snippet=f"{s} {MARK_OPEN}{s}{MARK_CLOSE} <em>", sentence=s)
            for i, s in enumerate(_HOSTILE)]
    old = get_templates().env.from_string(_OLD_SEARCH_HITS).render(hits=hits)
    new = str(fragments.search_hits(hits))
    assert _same_markup(new, old)
    assert "<script>" not in new and "<em>" not in new and "&lt;script&gt;" in new and "<mark>" in new
