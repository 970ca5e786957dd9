"""Quality, repetition, line and code filters: each one keeps real text and drops its target."""

import json
import textwrap
from pathlib import Path

import pytest

from auroralm.data.langid import identify
from auroralm.data.quality import STOPWORDS, check_code, check_quality, symbol_or_number_dominated
from auroralm.data.segment import sentences, words

CORPUS = Path(__file__).parents[1] / "src" / "auroralm" / "assets" / "corpus"
LANGS = ["en", "fi", "hi", "ja", "vi"]


def corpus(name: str) -> list[dict]:
    docs = []
    for line in (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            doc = json.loads(line)
        except json.JSONDecodeError:  # junk.jsonl has a deliberately broken line
            continue
        if isinstance(doc.get("text"), str):
            docs.append(doc)
    return docs


# One short news item per language, one sentence per line: every filter keeps these.
NEWS = {
    "en": """The city council approved a plan on Monday to rebuild the old harbour wall before the winter storms.
Engineers said the stone wall has been moving a few centimetres every year since the flood of 2009.
Work will start in September and is expected to take about eight months, weather permitting.
Fishing boats will use a temporary pier on the north side of the bay while the crews are at work.
Some residents asked why the repairs had taken so long, and whether the budget would be enough.
The mayor said the cost will be shared with the regional government and a national coastal fund.
A public meeting about the detour for lorries will be held at the library next Thursday evening.""",
    "fi": """Kaupunginvaltuusto hyväksyi maanantaina suunnitelman vanhan satamamuurin korjaamisesta ennen talven myrskyjä.
Insinöörien mukaan kivimuuri on liikkunut muutaman senttimetrin joka vuosi vuoden 2009 tulvan jälkeen.
Työt alkavat syyskuussa, ja niiden arvioidaan kestävän noin kahdeksan kuukautta, jos sää sallii.
Kalastusveneet käyttävät väliaikaista laituria lahden pohjoispuolella sillä aikaa, kun työt ovat käynnissä.
Osa asukkaista kysyi, miksi korjaukset ovat viivästyneet niin pitkään ja riittääkö budjetti.
Pormestarin mukaan kustannukset jaetaan maakunnan ja valtion rannikkorahaston kanssa.
Rekkaliikenteen kiertotiestä järjestetään yleisötilaisuus kirjastossa ensi torstaina illalla.""",
    "hi": """नगर परिषद ने सोमवार को सर्दियों के तूफ़ानों से पहले पुरानी बंदरगाह दीवार को फिर से बनाने की योजना को मंज़ूरी दी।
इंजीनियरों ने बताया कि 2009 की बाढ़ के बाद से पत्थर की यह दीवार हर साल कुछ सेंटीमीटर खिसक रही है।
काम सितंबर में शुरू होगा और मौसम ठीक रहा तो इसमें लगभग आठ महीने लगेंगे।
जब तक काम चलेगा, मछली पकड़ने वाली नावें खाड़ी के उत्तरी किनारे पर बने अस्थायी घाट का इस्तेमाल करेंगी।
कुछ निवासियों ने पूछा कि मरम्मत में इतनी देर क्यों हुई और क्या बजट काफ़ी होगा।
महापौर ने कहा कि खर्च राज्य सरकार और एक राष्ट्रीय तटीय कोष के साथ बाँटा जाएगा।
ट्रकों के लिए वैकल्पिक रास्ते पर अगले गुरुवार शाम को पुस्तकालय में एक सार्वजनिक बैठक होगी।""",
    "ja": """市議会は月曜日、冬の嵐が来る前に古い港の防波堤を建て直す計画を承認した。
技術者によると、石造りの防波堤は二〇〇九年の洪水以来、毎年数センチずつ動いているという。
工事は九月に始まり、天候に恵まれれば約八か月かかる見込みだ。
工事の間、漁船は湾の北側に設けられる仮設の桟橋を使うことになる。
住民の中には、なぜ修理がこれほど遅れたのか、予算は足りるのかと尋ねる人もいた。
市長は、費用は県と国の沿岸基金と分担すると説明した。
トラックの迂回路についての説明会は、来週木曜日の夜に図書館で開かれる。""",
    "vi": """Hội đồng thành phố hôm thứ Hai đã thông qua kế hoạch xây lại bức tường chắn sóng cũ ở bến cảng trước mùa bão.
Các kỹ sư cho biết bức tường đá đã dịch chuyển vài centimet mỗi năm kể từ trận lũ năm 2009.
Công trình sẽ bắt đầu vào tháng Chín và dự kiến kéo dài khoảng tám tháng nếu thời tiết thuận lợi.
Trong thời gian thi công, tàu cá sẽ neo tại một cầu tàu tạm ở phía bắc vịnh.
Một số người dân hỏi vì sao việc sửa chữa bị chậm trễ lâu như vậy và liệu ngân sách có đủ không.
Chủ tịch thành phố cho biết chi phí sẽ được chia sẻ với tỉnh và một quỹ bảo vệ bờ biển quốc gia.
Buổi họp công khai về tuyến đường vòng cho xe tải sẽ được tổ chức tại thư viện vào tối thứ Năm tuần sau.""",
}
ADVERT = {"en": "Advertisement", "fi": "Mainos", "hi": "विज्ञापन", "ja": "広告", "vi": "Quảng cáo"}
END = {"ja": "。", "hi": "।"}


def _join(lang: str, ws: list[str]) -> str:
    return ("" if lang == "ja" else " ").join(ws)


def _chunks(lang: str, n_words: int) -> str:
    """NEWS re-broken into lines of ``n_words`` words, each ending like a sentence."""
    ws = words(NEWS[lang], lang)
    return "\n".join(_join(lang, ws[i : i + n_words]) + END.get(lang, ".") for i in range(0, len(ws), n_words))


# Japanese keyword stuffing: long katakana product names, one script run each.
KATAKANA_TAGS = (
    "ワイヤレスイヤホン、モバイルバッテリー、スマートウォッチ、ノイズキャンセリング、タブレットスタンド、"
    "ゲーミングマウス、メカニカルキーボード、ロボットクリーナー、ホットサンドメーカー、コーヒーメーカー、"
    "ヘアドライヤー、デジタルカメラ、プロジェクター、サウンドバー、ドライブレコーダー"
)


def _word_length(lang: str, lines: list[str]) -> str:
    if lang == "ja":  # too long
        return "\n".join(f"人気ランキング：{KATAKANA_TAGS}。" for _ in range(4))
    # too short: letters spaced out, as PDF extraction leaves them
    return "\n".join(" ".join(line.replace(" ", "")) for line in lines)


def _ellipsis(lines: list[str]) -> str:
    return "\n".join(line[: len(line) // 2] + "…" if i % 2 else line for i, line in enumerate(lines))


def _no_stopwords(lang: str, lines: list[str]) -> str:
    stop = STOPWORDS[lang]
    return "\n".join(_join(lang, [w for w in words(line, lang) if w.lower() not in stop]) for line in lines)


def _wrap(lang: str, lines: list[str]) -> str:
    width = 10 if lang == "ja" else 25
    wrapped = [piece for line in lines for piece in textwrap.wrap(line, width)]
    return "\n".join(p if p.endswith((".", "。", "।")) else p + END.get(lang, ".") for p in wrapped)


TRANSFORMS = {
    "gopher_word_count": lambda lang, lines: lines[0],
    "gopher_mean_word_length": _word_length,
    "gopher_symbol_ratio": lambda lang, lines: "\n".join(f"{line} #news #harbour #city #council" for line in lines),
    "gopher_bullet_lines": lambda lang, lines: "\n".join("• " + line for line in lines),
    "gopher_ellipsis_lines": lambda lang, lines: _ellipsis(lines),
    "gopher_alpha_words": lambda lang, lines: "\n".join(lines + [" ".join(str(1990 + i) for i in range(40))] * 2),
    "gopher_stopwords": _no_stopwords,
    "gopher_dup_line_fraction": lambda lang, lines: "\n".join(lines + [lines[0]] * 5),
    # Two content paragraphs between three one-line adverts: few duplicate lines, many paragraphs.
    "gopher_dup_para_fraction": lambda lang, lines: "\n\n".join(
        [ADVERT[lang], "\n".join(lines[:4]), ADVERT[lang], "\n".join(lines[4:]), ADVERT[lang]]
    ),
    "gopher_top_ngram": lambda lang, lines: "\n".join(lines + [_join(lang, words(lines[0], lang)[:2] * 40)]),
    # The second sentence copied into three later lines: no line repeats, its n-grams do.
    "gopher_dup_ngram": lambda lang, lines: "\n".join(
        lines[:2] + [f"{line} {lines[1]}" for line in lines[2:5]] + lines[5:]
    ),
    "fineweb_line_punct": lambda lang, lines: "\n".join(line.rstrip(".。।") for line in lines),
    "fineweb_short_lines": _wrap,
}


# A repeated line long enough to be 10% of the characters is also a repeated 10-gram, which the
# Gopher check (run first) catches in en, fi and hi; short repeated captions show the FineWeb one.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ja", NEWS["ja"] + "\n" + NEWS["ja"].splitlines()[1]),
        ("vi", NEWS["vi"] + "\n" + NEWS["vi"].splitlines()[0]),
        (
            "en",
            "\n".join(f"{line}\nPhoto: Harbour Office / Jane Smith" for line in NEWS["en"].splitlines()[:4])
            + "\n"
            + "\n".join(NEWS["en"].splitlines()[4:]),
        ),
        (
            "fi",
            "\n".join(f"{line}\nKuva: Satamalaitos / Maija Virtanen" for line in NEWS["fi"].splitlines()[:4])
            + "\n"
            + "\n".join(NEWS["fi"].splitlines()[4:]),
        ),
    ],
)
def test_repeated_lines_are_dropped(lang, text):
    assert check_quality(text, lang) == "fineweb_dup_line_chars"


@pytest.mark.parametrize("lang", LANGS)
def test_news_in_every_language_is_kept(lang):
    assert check_quality(NEWS[lang], lang) is None


@pytest.mark.parametrize("reason", TRANSFORMS)
@pytest.mark.parametrize("lang", LANGS)
def test_each_filter_drops_its_target_in_every_language(lang, reason):
    text = TRANSFORMS[reason](lang, NEWS[lang].splitlines())
    assert check_quality(text, lang) == reason


# Lines of a few words are "list-like"; FineWeb-2's per-language ratios make it reachable without
# tripping the short-line filter only where words or lines are long enough.
@pytest.mark.parametrize(("lang", "n_words"), [("fi", 4), ("ja", 6), ("vi", 8)])
def test_list_like_documents_are_dropped(lang, n_words):
    assert check_quality(_chunks(lang, n_words), lang) == "fineweb_list_ratio"
    assert check_quality(_chunks(lang, 20), lang) is None


def test_forum_threads_with_repeated_headers_and_separators_are_kept():
    posts = [
        "Our pipes froze last winter when the heating failed overnight. The plumber fixed them, but "
        "the bill was painful. Has anyone here insulated their pipes themselves, and was it hard?",
        "Foam sleeves from the hardware store worked for us, and they cost less than ten euros. "
        "You just cut them to length and push them over the pipe, no tools needed apart from a knife.",
        "Thanks! Do they fit the thin copper pipes too, or only the plastic ones under the sink? "
        "Ours are quite old and some of them run very close to the outside wall of the kitchen.",
        "They come in several sizes. Measure the outside diameter first and take a tape with you, "
        "because the labels in the shop are confusing and the staff did not know either.",
    ]
    thread = "\n\n――――――――\n\n".join(f"reply from {('anna_k', 'pipeman')[i % 2]}:\n{p}" for i, p in enumerate(posts))
    assert check_quality(thread, "en") is None


def test_languages_without_stopwords_skip_only_that_check():
    german = " ".join(["Der Hafen der Stadt wird im Herbst erneuert, und die Arbeiten dauern acht Monate."] * 1)
    assert check_quality(german * 6, "de") is not None  # repeated sentence: still caught
    assert check_quality(NEWS["en"], "de") is None  # no English stopword list imposed


@pytest.mark.parametrize("lang", LANGS)
def test_real_documents_are_overwhelmingly_kept(lang):
    docs = corpus(lang)
    kept = [d for d in docs if check_quality(d["text"], lang) is None]
    assert len(kept) >= 0.95 * len(docs)
    assert not any(symbol_or_number_dominated(d["text"]) for d in docs)


def test_junk_is_caught():
    junk = [d for d in corpus("junk") if d.get("junk") in ("boilerplate", "spam", "symbol_soup", "too_short", "empty")]
    assert len(junk) >= 10
    for doc in junk:
        lang = identify(doc["text"])[0]
        assert check_quality(doc["text"], lang) or symbol_or_number_dominated(doc["text"]), doc["id"]
    soup = [d["text"] for d in junk if d["junk"] == "symbol_soup"]
    assert all(symbol_or_number_dominated(t) for t in soup)


def test_segmentation_fits_each_language():
    assert words("Don't panic: 42 towels!", "en") == ["Don", "t", "panic", "42", "towels"]
    assert words("Sáng thứ Bảy vừa qua", "vi") == ["Sáng", "thứ", "Bảy", "vừa", "qua"]
    assert words("हिंदी में यह है। ठीक", "hi") == ["हिंदी", "में", "यह", "है", "ठीक"]
    assert words("北浦町で閉校した小学校のカフェ、ABC123", "ja") == [
        "北浦町", "で", "閉校", "した", "小学校", "の", "カフェ", "ABC", "123",
    ]  # fmt: skip
    assert sentences("He left. Pi is 3.14 today! Ok", "en") == ["He left.", "Pi is 3.14 today!", "Ok"]
    assert sentences("晴れた。明日は？雨", "ja") == ["晴れた。", "明日は？", "雨"]
    assert sentences("यह अच्छा है। वह कहाँ है? ठीक", "hi") == ["यह अच्छा है।", "वह कहाँ है?", "ठीक"]


# --- code ---------------------------------------------------------------------------------

PYTHON = '''"""Small helpers for reading sensor logs."""

import csv
from pathlib import Path


def read_temperatures(path: Path) -> list[float]:
    """Return the temperature column of a CSV log, skipping malformed rows."""
    values = []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                values.append(float(row["temperature"]))
            except (KeyError, ValueError):
                continue
    return values
'''


def test_real_code_is_overwhelmingly_kept():
    docs = corpus("code")
    kept = [d for d in docs if check_code(d["text"], d["language"]) is None]
    assert len(kept) >= 0.95 * len(docs)


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        (PYTHON, "python", None),
        ('"""Draws samples generated by a Mersenne twister."""\n' + PYTHON, "python", None),
        ("var a=1;" + "function f(b){return b*2};" * 60, "javascript", "code_max_line_length"),
        (
            "\n".join(
                f"ROW_{i} = {{'name': 'sensor_{i}', 'unit': 'celsius', 'min': -40, 'max': 85, 'rate': 10, 'enabled': True}}"
                for i in range(20)
            ),
            "python",
            "code_mean_line_length",
        ),
        ("/*\n" + "\n".join("|~~~|*|~~~|*|~~~|*|~~~|" for _ in range(20)) + "\n*/", "c", "code_alnum_fraction"),
        (
            "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n\ntype Reading struct {\n\tValue float64\n}\n",
            "go",
            "code_autogenerated",
        ),
        (
            "# Generated by Django 4.2 on 2024-05-01 10:00\n\nfrom django.db import migrations\n" + PYTHON,
            "python",
            "code_autogenerated",
        ),
        (
            "ICON = (\n"
            + "\n".join(
                f'    "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAA{i}RklEQVR4nGNgGAWjYBSMglEwCgAAB1AAAc5sLX0="'
                for i in range(12)
            )
            + "\n)\n",
            "python",
            "code_data_blob",
        ),
        (
            "static const int TABLE[] = {\n"
            + "\n".join(", ".join(str((i * 37 + j * 11) % 256) for j in range(12)) + "," for i in range(20))
            + "\n};\n",
            "c",
            "code_mostly_numbers",
        ),
    ],
    ids=["kept", "generated-in-prose", "minified", "long-lines", "ascii-art", "protoc", "django", "base64", "table"],
)
def test_code_filters(text, language, reason):
    assert check_code(text, language) == reason


def test_json_needs_more_alphanumerics_than_code():
    data = "[\n" + ",\n".join('  {"a": [1, 2], "b": {"c": null}}' for _ in range(10)) + "\n]"
    assert check_code(data, "json") == "code_alnum_fraction"
    assert check_code(data, "javascript") is None


def test_symbol_or_number_dominated():
    assert symbol_or_number_dominated("| 2026-01-01 | 4.52 | 3.11 |\n| 2026-01-02 | 4.61 | 3.02 |")
    assert symbol_or_number_dominated("@@ ## $$ %% ^^ && ** ~~ <> [] {} 123 456 789")
    assert not symbol_or_number_dominated(NEWS["en"])
    assert not symbol_or_number_dominated("In 2009 the flood cost 12.5 million euros (about 4% of GDP).")


def test_symbol_or_number_dominated_counts_as_the_regexes_do():
    """The code-point tables give the counts of the regexes they are built from."""
    import random

    from auroralm.data.quality import _LETTER, _SENTENCE_PUNCT, _SPACE

    def by_regex(text, max_ratio):
        non_space = len(text) - len(_SPACE.findall(text))
        if non_space == 0:
            return True
        other = non_space - len(_LETTER.findall(text)) - len(_SENTENCE_PUNCT.findall(text))
        return other > max_ratio * non_space

    rng = random.Random(0)
    ranges = [(0x20, 0x250), (0x300, 0x370), (0x900, 0x980), (0x2000, 0x2070), (0x3000, 0x3100), (0xFF00, 0xFFF0),
              (0x1F300, 0x1F400), (0xD800, 0xE000)]
    texts = ["", " \n\t", "In 2009 the flood cost 12.5 million euros.", "हिन्दी पाठ। १२३ ॥", "「日本語」、１２３。"]
    for _ in range(300):
        texts.append("".join(chr(rng.randrange(*rng.choice(ranges))) for _ in range(rng.randrange(1, 80))))
    for text in texts:
        for max_ratio in (0.0, 0.3, 0.5):
            assert symbol_or_number_dominated(text, max_ratio) == by_regex(text, max_ratio), (text, max_ratio)
