"""A speech's own language: `lang: en` for a speech in English, nothing for a Chinese one,
whatever English it quotes; and its English address is its salutation."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest.language import speech_language
from generator.speech import read_front_matter
from tests.helpers import run_ingest, speeches_dir, write_raw

ENGLISH_TITLE = "Speech at the Hailar International Trade Fair"
ENGLISH = (
    "Ladies and gentlemen,",
    "It is my great pleasure to welcome you to Hailar, the gateway to Russia and Mongolia. "
    "For three decades this fair has brought traders and investors from the whole region "
    "to our city.",
    "Dear friends,",
    "We meet at a time of change. The world economy is recovering slowly, and trade is "
    "growing again. Our district will open its doors wider, and we will keep our promise "
    "to every partner who invests in the future of this border region.",
    "谢谢大家！",
)
# probe 5: a Chinese keynote at an international forum, quoting English, naming firms in
# English and writing sums and abbreviations in Latin letters: Chinese, no lang of its own.
CHINESE_WITH_ENGLISH = (
    "尊敬的各位嘉宾，女士们、先生们，朋友们：",
    "Good morning, ladies and gentlemen! 大家上午好！",
    "当前，以人工智能（Artificial Intelligence, AI）、5G、云计算为代表的新一代信息技术加速演进。"
    "据国际数据公司（IDC）预测，到2026年全球数字经济规模将超过US$20 trillion。正如联合国秘书长"
    "古特雷斯所说：“Digital technologies are transforming every aspect of our lives, and we must "
    "make sure that they serve the common good.”",
    "华为、阿里巴巴（Alibaba Group）、Microsoft等一批知名企业在我省设立了区域总部或研发中心。"
    "2023年，全省数字经济规模达到2.16万亿元，占GDP比重达到43.5%。",
    "Let's work together for a shared digital future. 让我们携手并进，共创数字经济美好未来！",
)
FRENCH = (
    "Mesdames et messieurs,",
    "Nous sommes heureux de vous accueillir à Hailar pour la foire internationale. La ville "
    "est la porte de la Russie et de la Mongolie, et nous voulons que les échanges entre nos "
    "pays soient plus nombreux dans les années qui viennent.",
    "Les entreprises de la région sont prêtes pour une coopération plus étroite, et nous "
    "comptons sur vous pour que cette foire soit un succès.",
)


def test_a_speech_in_english_is_english() -> None:
    assert speech_language(ENGLISH_TITLE, ENGLISH) == "en"


def test_a_speech_in_french_is_french() -> None:
    assert speech_language("Discours à la foire internationale de Hailar", FRENCH) == "fr"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("在2024中国国际数字经济合作论坛开幕式上的主旨演讲", CHINESE_WITH_ENGLISH),
        # an English body under a Chinese title: which of the two is the page's? Neither tag.
        ("在海拉尔国际经贸洽谈会开幕式上的致辞", ENGLISH),
        # each paragraph in English and in Chinese: a bilingual speech is no English one
        (ENGLISH_TITLE, [f"{p} 欢迎各位来到海拉尔，参加本届国际经贸洽谈会。" for p in ENGLISH]),
        # a few lines in English decide nothing
        (ENGLISH_TITLE, ["Ladies and gentlemen,", "Welcome to Hailar!"]),
        # Latin letters in no language it knows: no tag rather than a wrong one
        ("Pidato di Pameran Dagang Internasional Hailar", ["Saudara-saudara sekalian " * 20]),
        # numbers and abbreviations of a Chinese report
        ("在全市经济工作会议上的讲话", ["GDP增长5.2%，CPI上涨0.2%，PM2.5浓度下降8.1%。" * 10]),
    ],
)
def test_a_chinese_or_unclear_speech_has_no_language_of_its_own(
    title: str, body: tuple[str, ...]
) -> None:
    assert speech_language(title, body) is None


def test_ingest_writes_lang_for_an_english_speech_only(tmp_path: Path) -> None:
    """`lang: en` in the English speech's front matter, with its address as its salutation;
    none at all in a Chinese one's, even one quoting English: its file is as it was."""
    write_raw(tmp_path, "english.txt", "\n\n".join((ENGLISH_TITLE, *ENGLISH)) + "\n")
    write_raw(
        tmp_path,
        "chinese.txt",
        "\n".join(("在2024中国国际数字经济合作论坛开幕式上的主旨演讲", *CHINESE_WITH_ENGLISH))
        + "\n",
    )
    report = run_ingest(tmp_path)
    assert not report.failed
    files = {read_front_matter(path)["title"]: path for path in speeches_dir(tmp_path).glob("*.md")}
    english = read_front_matter(files[ENGLISH_TITLE])
    assert english["lang"] == "en"
    assert english["salutation"] == "Ladies and gentlemen"
    chinese = files["在2024中国国际数字经济合作论坛开幕式上的主旨演讲"]
    assert "lang" not in read_front_matter(chinese)
    assert "\nlang:" not in chinese.read_text("utf-8")
