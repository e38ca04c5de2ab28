"""The shipped Wikinews term prior: loads offline, makes common words weigh less than rare ones from the start."""
from newsgraph.stories.features import Vocabulary
from newsgraph.stories.index import StoryIndex
from newsgraph.model import AnnotatedArticle, ExtractedDoc, MentionSpan
from newsgraph.stories.prior import count_entity_prior, count_prior, entity_prior, term_prior, write_prior


def test_shipped_prior_weighs_common_words_low_in_a_new_index():
    prior = term_prior()
    assert prior.docs >= 1000 and len(prior.df) > 5000
    vocab = StoryIndex().vocab
    assert vocab.docs == 0  # the prior is not counted as seen articles, nor stored
    assert vocab.idf("government") < vocab.idf("earthquake") < vocab.idf("zzzunseen")
    cold = Vocabulary()
    assert cold.idf("government") == cold.idf("earthquake")  # what a cold store did before


def test_count_and_round_trip(tmp_path):
    prior = count_prior(["Apple sold 23 phones", "Apple shares fell", "Rain in Spain"], min_df=2)
    assert prior.docs == 3 and prior.df == {"apple": 2}
    write_prior(prior, tmp_path / "p.json.gz")
    term_prior.cache_clear()
    try:
        assert term_prior(tmp_path / "p.json.gz") == prior
    finally:
        term_prior.cache_clear()


def test_shipped_entity_prior_weighs_common_entities_low():
    prior = entity_prior()
    assert prior.docs >= 1000 and len(prior.df) > 1000
    vocab = StoryIndex().entity_vocab
    assert vocab.docs == 0
    assert vocab.idf("GPE:united states") < vocab.idf("PERSON:fred larue") == vocab.idf("PERSON:zzzunseen")


def test_count_entity_prior_counts_story_entities_once_per_article():
    def article(*mentions):
        doc = ExtractedDoc(item="x", text="", url=None, canonical_url=None, content_hash="h")
        return AnnotatedArticle(doc=doc, sentences=[], words=0, mentions=[
            MentionSpan(sentence=0, start=0, end=1, text=n, label=label, key=n.lower(), name=n) for label, n in mentions])

    prior = count_entity_prior([article(("ORG", "Apple"), ("ORG", "Apple"), ("DATE", "Monday")),
                                article(("ORG", "Apple"), ("PERSON", "Tim Cook")), article()], min_df=1)
    assert prior.docs == 3 and prior.df == {"ORG:apple": 2, "PERSON:tim cook": 1}
