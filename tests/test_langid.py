import json
from collections import defaultdict
from pathlib import Path

import pytest

from auroralm.data.langid import identify

SAMPLES = {
    "en": "The library will stay open until eight in the evening during the winter months, "
    "and visitors who come to study can have a free cup of tea in the reading room.",
    "fi": "Kirjasto on talvikuukausina auki iltaisin kahdeksaan asti, ja lukusalissa opiskelevat "
    "kävijät saavat kupin teetä ilmaiseksi. Tämä on kokeilu, jota jatketaan keväällä.",
    "hi": "सर्दियों के महीनों में पुस्तकालय शाम आठ बजे तक खुला रहेगा और पढ़ने आने वाले लोगों को "
    "वाचनालय में मुफ्त चाय मिलेगी। यह व्यवस्था वसंत तक जारी रहेगी।",
    "ja": "冬の間、図書館は平日の夜八時まで開館します。閲覧室で勉強する利用者には温かいお茶が無料で"
    "提供されます。この取り組みは春まで続く予定です。",
    "vi": "Trong những tháng mùa đông, thư viện sẽ mở cửa đến tám giờ tối và người đến đọc sách "
    "trong phòng đọc sẽ được mời trà nóng miễn phí. Chương trình kéo dài đến mùa xuân.",
    "code": "def mean(values):\n    if not values:\n        raise ValueError('empty')\n"
    "    total = sum(values)\n    return total / len(values)\n",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_identify_each_language(lang):
    got, conf = identify(SAMPLES[lang])
    assert got == lang
    assert 0.5 <= conf <= 1.0


def test_no_letters_is_unknown():
    assert identify("1234 5678 !!!") == ("unknown", 0.0)


DATA = Path(__file__).parent / "data"


def _rows(name: str) -> dict[str, list[str]]:
    path = DATA / name
    rows = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rows[r["lang"]].append(r["text"])
    return rows


@pytest.mark.parametrize("lang", ["en", "fi", "hi", "ja", "vi", "code"])
def test_heldout_accuracy(lang):
    # Written by a helper who saw neither langid.py nor the dev set, after the last change to
    # identify(); measured once (2026-11-26): en, fi, hi, ja, vi 1.0, code 0.983 (59 of 60).
    texts = _rows("langid_heldout.jsonl")[lang]
    assert len(texts) == 60 and min(map(len, texts)) >= 100
    accuracy = sum(identify(t)[0] == lang for t in texts) / len(texts)
    assert accuracy >= 0.97, accuracy


def test_dev_set_is_all_right():
    """The dev set (the old held-out plus hard cases written while tuning) is identified without error."""
    rows = _rows("langid_dev.jsonl")
    wrong = [(lang, got, t[:80]) for lang, texts in rows.items() for t in texts if (got := identify(t)[0]) != lang]
    assert not wrong, wrong


def test_script_counts_match_per_script_regexes():
    import re

    from auroralm.data.langid import _VI_LETTERS, _script_counts

    text = ("Đây là ăn phở. The café, naïve ﬁ ǅ ªµº×÷ Ḁỿ. हिन्दी पाठ। 日本語のテキスト、カタカナ。"
            "中文 한국어 😀 𝔘 \ud800 \u0300\u3040\u30ff\u4e00\u9fff\ua000")
    latin = len(re.findall("[A-Za-z\u00AA\u00B5\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]", text))
    assert _script_counts(text) == (
        len(re.findall("[\u0900-\u097F]", text)),
        len(re.findall("[\u3040-\u30FF]", text)),
        len(re.findall("[\u4E00-\u9FFF]", text)),
        latin,
        sum(c in _VI_LETTERS for c in text),
    )
    assert _script_counts("") == (0, 0, 0, 0, 0)


def test_code_score_threshold_only_stops_early():
    from auroralm.data.langid import code_score

    texts = [SAMPLES["code"], SAMPLES["en"], "x = 1\nThe end of it.\ny = 2\nAnd more prose here.\nz = 3"]
    texts += ["\n".join(["def f():", "prose line"] * k + ["prose line"] * j) for k in range(4) for j in range(4)]
    for text in texts:
        full = code_score(text)
        for threshold in (0.0, 0.25, 0.4, 0.5, 1.0):
            early = code_score(text, threshold)
            assert (early >= threshold) == (full >= threshold)
            if full >= threshold:
                assert early == full


@pytest.mark.parametrize(
    "text",
    [
        # a function under a long docstring: the docstring is prose, the rest code
        'def area(r):\n    """Return the area of a circle.\n\n    The radius is in metres and so the result\n'
        "    is in square metres. Negative radii are an error, not a reflection.\n\n"
        "    It is computed with the usual formula and rounded to two places.\n    \"\"\"\n"
        "    if r < 0:\n        raise ValueError(r)\n    return round(math.pi * r * r, 2)\n",
        '{"id":7,"user":{"name":"Lan","roles":["editor"]},"theme":"dark","created_at":"2024-03-18T09:21:44Z"}',
        "DATABASE_URL=postgres://app@localhost:5432/app\nREDIS_URL=redis://localhost:6379/0\nDEBUG=false\n",
        "(ns shop.cart)\n\n(defn total [items]\n  (reduce + (map :price items)))\n",
    ],
)
def test_hard_code(text):
    assert identify(text)[0] == "code"


@pytest.mark.parametrize(
    "text, lang",
    [
        # "name: message" lines are chat, not YAML keys
        ("anna: did you run the migrations first?\nmikko: yes, and the tests pass now\n"
         "anna: then check settings.py for the debug flag\nmikko: good catch, fixing it", "en"),
        # a sentence quoting a command is prose
        ("Run npm ci && npm test before pushing, or the build will fail.", "en"),
        ("The function returns None when self.cache is empty, so check it first.", "en"),
    ],
)
def test_hard_prose(text, lang):
    assert identify(text)[0] == lang


def test_mixed_language_document_gets_the_dominant_language_at_lower_confidence():
    en, ja = SAMPLES["en"], SAMPLES["ja"]
    lang, conf = identify(en + "\n\n" + ja)  # ~2 Latin letters per Japanese character
    assert lang == "en" and 0.5 < conf < identify(en)[1] - 0.2
    lang, conf = identify(en + "\n\n" + ja * 3)
    assert lang == "ja" and 0.5 < conf < 0.8
