"""Word-list toxicity filter: abusive and adult text dropped, innocent look-alikes kept."""

import json
from pathlib import Path

import pytest

from auroralm.data.toxicity import LANGUAGES, WORDLISTS_DIR, load_lists, toxic_hits, toxic_reason

CORPUS = Path(__file__).parents[1] / "src" / "auroralm" / "assets" / "corpus"

ABUSIVE = {
    "en": "Shut up, you stupid asshole. Nobody asked for your bullshit opinion on this thread.",
    "fi": "Ihan vitun typerä kommentti, painu jo helvettiin siitä, senkin kusipää.",
    "hi": "चुप कर चूतिया, तेरी बकवास कोई नहीं सुनना चाहता, हरामी कहीं का।",
    "ja": "お前みたいなキチガイは二度と書き込むな。死ねよ。",
    "vi": "Mày im đi đồ óc chó, nói nhảm vừa thôi, đụ má.",
}
ADULT = {
    "en": "Free porn videos every day! Watch the hottest hentai and milf clips, no sign-up needed.",
    "fi": "Katso ilmaiset pornovideot ja kuumimmat seksivideot heti ilman rekisteröitymistä.",
    "hi": "मुफ़्त पोर्न और सेक्स वीडियो देखें, कोई रजिस्ट्रेशन नहीं।",
    "ja": "無料アダルト動画を毎日更新。無修正のエロ動画も見放題。",
    "vi": "Xem phim sex miễn phí, tuyển tập phim khiêu dâm mới nhất mỗi ngày.",
}
# Innocent words that contain or resemble listed terms.
INNOCENT = {
    "en": "The pilot left the cockpit of the flight from Scunthorpe, ordered a cocktail and read an "
    "analysis of cockroach habits, then photographed pussy willows and a Wankel engine.",
    "fi": "Horoskooppi lupasi hyvää, joten kävimme Ämmänsaaressa katsomassa kusiaisia ja luimme Persepoliksesta.",
    "hi": "अर्जुन ने गांडीव उठाया, और बाद में हम लंडन शहर घूमने गए।",
    "ja": "イエローカードが出た後、フェラーリが走り、エロイカが流れた。死ねない理由がある。",
    "vi": "Quả óc chó và hạt óc chó rất bổ. Con chó đẻ con hôm qua, đủ cả bốn con.",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_abusive_and_adult_text_is_dropped(lang):
    assert toxic_reason(ABUSIVE[lang], lang) == "toxic_words"
    assert toxic_reason(ADULT[lang], lang) == "toxic_words"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_allow_list_prevents_false_positives(lang):
    assert toxic_hits(INNOCENT[lang], lang)[0] == 0
    assert toxic_reason(INNOCENT[lang], lang) is None


def test_look_alikes_match_the_blocklist_and_only_the_allow_list_saves_them():
    en, ja = load_lists("en"), load_lists("ja")
    for word in ("cockpit", "scunthorpe", "analysis", "wankel"):
        assert en.toxic.word_matches(word) and en.allow.word_matches(word), word
    assert ja.toxic_ja.search("イエロー") and ja.allow_ja.search("イエロー")


def test_one_hit_drops_only_short_texts():
    long_text = "The film was, frankly, a load of bullshit, but the soundtrack was lovely. " + " ".join(
        ["The orchestra recorded it in one week in a small church outside the city."] * 8
    )
    assert toxic_hits(long_text, "en")[0] == 1
    assert toxic_reason(long_text, "en") is None  # 1 hit in ~120 words: a word, not a document
    assert toxic_reason("What a load of bullshit.", "en") == "toxic_words"  # 1 hit in 5 words
    assert toxic_reason(long_text, "en", min_hits=1) == "toxic_words"
    assert toxic_reason(ABUSIVE["en"], "en", min_hits=3, max_ratio=0.5) is None


def test_inflected_finnish_and_phrases_count_once():
    assert toxic_hits("vittu, vitun, vittuun", "fi")[0] == 3
    assert toxic_hits("đĩ điếm", "vi")[0] == 1  # the phrase, not also its first word
    assert toxic_hits("đủ rồi, cảm ơn", "vi")[0] == 0  # đủ "enough" is not đụ


def test_languages_without_lists_use_english():
    assert toxic_reason("Das ist totaler bullshit, du asshole.", "de") == "toxic_words"


def test_word_lists_are_modest_and_present():
    for lang in LANGUAGES:
        entries = [
            line
            for line in (WORDLISTS_DIR / f"toxic_{lang}.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert 20 <= len(entries) <= 80, lang
        assert (WORDLISTS_DIR / f"allow_{lang}.txt").exists()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_real_documents_are_kept(lang):
    docs = [json.loads(line) for line in (CORPUS / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = [d for d in docs if toxic_reason(d["text"], lang) is None]
    assert len(kept) >= 0.95 * len(docs)
