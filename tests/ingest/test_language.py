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


# Speeches in other scripts, at the same trade fair: a Japanese, Korean, Russian, Ukrainian,
# Mongolian, Arabic, Hebrew and Greek guest's.
JAPANESE_TITLE = "ハイラル国際見本市開幕式における挨拶"
JAPANESE = (
    "ご来場の皆様、",
    "本日は、ハイラル国際見本市の開幕にあたり、一言ご挨拶を申し上げます。ハイラルはロシアと"
    "モンゴルへの玄関口であり、三十年にわたり、この見本市は地域の商人や投資家をこの街に集めて"
    "まいりました。",
    "私たちは大きな変化の時代に生きています。世界経済はゆっくりと回復しつつあり、貿易も再び"
    "伸びています。私たちの地域は一層門戸を開き、この国境地域の未来に投資するすべての"
    "パートナーとの約束を守ってまいります。",
    "ご清聴ありがとうございました。",
)
# a government's prose, kanji-heavy (some 40% kana), under a title of kanji alone
JAPANESE_OFFICIAL = (
    "我が国の安全保障環境は、戦後最も厳しく複雑なものとなっています。政府は、国家安全保障戦略に"
    "基づき、防衛力の抜本的強化を進めるとともに、外交力を一層強化し、地域の平和と安定の確保に"
    "全力を尽くします。",
    "経済財政運営においては、物価高騰対策と賃上げの実現を最優先課題として取り組みます。"
    "地方創生、少子化対策、デジタル田園都市国家構想の推進にも、引き続き全力で取り組みます。",
    "このため、政府一丸となって、一つ一つの課題に真正面から向き合い、先送りすることなく、"
    "着実に結果を出してまいります。国民の皆様の御理解と御協力を心からお願い申し上げます。",
)
KOREAN_TITLE = "하이라얼 국제무역박람회 개막식 축사"
KOREAN = (
    "내외 귀빈 여러분,",
    "하이라얼 국제무역박람회의 개막을 진심으로 축하드립니다. 하이라얼은 러시아와 몽골로 "
    "통하는 관문이며, 지난 삼십 년 동안 이 박람회는 지역의 상인과 투자자들을 이 도시로 "
    "모아 왔습니다.",
    "우리는 큰 변화의 시대를 살고 있습니다. 세계 경제는 천천히 회복되고 있고 무역도 다시 "
    "늘어나고 있습니다. 우리 지역은 문을 더 넓게 열고, 이 국경 지역의 미래에 투자하는 모든 "
    "동반자와의 약속을 지킬 것입니다.",
    "감사합니다.",
)
RUSSIAN_TITLE = "Выступление на Хайларской международной торговой ярмарке"
RUSSIAN = (
    "Дамы и господа!",
    "Мне очень приятно приветствовать вас в Хайларе, воротах в Россию и Монголию. Уже тридцать "
    "лет эта ярмарка собирает в нашем городе торговцев и инвесторов со всего региона.",
    "Мы встречаемся во время больших перемен. Мировая экономика медленно восстанавливается, и "
    "торговля снова растёт. Наш район будет шире открывать свои двери, и мы сдержим обещание, "
    "данное каждому партнёру, который вкладывает в будущее этого приграничного региона.",
    "谢谢大家！",
)
UKRAINIAN = (
    "Пані та панове!",
    "Мені дуже приємно вітати вас у Хайларі, воротах до Росії та Монголії. Вже тридцять років "
    "цей ярмарок збирає в нашому місті торговців та інвесторів з усього регіону.",
    "Ми зустрічаємося в час великих змін. Світова економіка повільно відновлюється, і торгівля "
    "знову зростає. Наш район ширше відчинить свої двері, і ми дотримаємо обіцянки, яку дали "
    "кожному партнерові, що вкладає кошти в майбутнє цього прикордонного регіону.",
)
MONGOLIAN = (
    "Эрхэм хүндэт зочид оо!",
    "Хайлар хотноо болж буй олон улсын худалдааны үзэсгэлэнд та бүхнийг урьж байгаадаа баяртай "
    "байна. Хайлар бол Орос, Монгол руу нээгдсэн үүд хаалга юм. Гучин жилийн турш энэ үзэсгэлэн "
    "бүс нутгийн худалдаачид, хөрөнгө оруулагчдыг манай хотод цуглуулсаар ирсэн.",
    "Бид их өөрчлөлтийн цаг үед уулзаж байна. Дэлхийн эдийн засаг аажмаар сэргэж, худалдаа "
    "дахин өсч байна.",
)
ARABIC_TITLE = "كلمة في افتتاح معرض هايلار التجاري الدولي"
ARABIC = (
    "السيدات والسادة،",
    "يسعدني كثيرا أن أرحب بكم في هايلار، البوابة إلى روسيا ومنغوليا. منذ ثلاثة عقود يجمع هذا "
    "المعرض التجار والمستثمرين من المنطقة كلها في مدينتنا.",
    "نلتقي في زمن التغيير. الاقتصاد العالمي يتعافى ببطء، والتجارة تنمو من جديد. ستفتح منطقتنا "
    "أبوابها على نطاق أوسع، وسنفي بوعدنا لكل شريك يستثمر في مستقبل هذه المنطقة الحدودية.",
)
HEBREW = (
    "גבירותי ורבותי,",
    "אני שמח מאוד לקבל את פניכם בהיילאר, השער לרוסיה ולמונגוליה. כבר שלושים שנה מביא היריד "
    "הזה אל העיר שלנו סוחרים ומשקיעים מכל האזור.",
    "אנו נפגשים בעת של שינוי. הכלכלה העולמית מתאוששת לאט, והסחר צומח שוב. המחוז שלנו יפתח "
    "את שעריו לרווחה, ונקיים את הבטחתנו לכל שותף שמשקיע בעתיד של אזור הגבול הזה.",
)
GREEK = (
    "Κυρίες και κύριοι,",
    "Είναι μεγάλη μου χαρά να σας καλωσορίσω στο Χαϊλάρ, την πύλη προς τη Ρωσία και τη "
    "Μογγολία. Εδώ και τρεις δεκαετίες η έκθεση αυτή φέρνει στην πόλη μας εμπόρους και "
    "επενδυτές από όλη την περιοχή.",
    "Συναντιόμαστε σε μια εποχή αλλαγών. Η παγκόσμια οικονομία ανακάμπτει αργά και το εμπόριο "
    "αυξάνεται ξανά.",
)
PERSIAN_TITLE = "سخنرانی در نمایشگاه بین‌المللی تجاری هایلار"
PERSIAN = (
    "خانم‌ها و آقایان، بسیار خوشحالم که به شما در هایلار، دروازه روسیه و مغولستان، "
    "خوشامد می‌گویم. سی سال است که این نمایشگاه بازرگانان و سرمایه‌گذاران همه منطقه "
    "را در شهر ما گرد هم می‌آورد.",
) * 2
UYGHUR_TITLE = "خايلار خەلقئارا سودا يەرمەنكىسىدىكى سۆز"
UYGHUR = (
    "ھۆرمەتلىك مېھمانلار، خانىملار ۋە ئەپەندىلەر! سىلەرنى خايلار خەلقئارا سودا يەرمەنكىسىدە "
    "قارشى ئالغىنىمدىن ناھايىتى خۇشالمەن. خايلار رۇسىيە ۋە موڭغۇلىيەگە ئېچىلغان دەرۋازا. "
    "ئوتتۇز يىلدىن بۇيان بۇ يەرمەنكە پۈتۈن رايوندىكى سودىگەر ۋە مەبلەغ سالغۇچىلارنى "
    "شەھىرىمىزگە يىغىپ كەلدى.",
) * 2
TIBETAN_TITLE = "ཧའེ་ལར་རྒྱལ་སྤྱིའི་ཚོང་འགྲེམས་སྟོན་ཚོགས་ཀྱི་གསུང་བཤད།"
TIBETAN = (
    "གུས་པར་འོས་པའི་མགྲོན་པོ་རྣམས། ཧའེ་ལར་དུ་ཚོགས་པའི་རྒྱལ་སྤྱིའི་ཚོང་འགྲེམས་སྟོན་ཚོགས་ལ་ཁྱེད་རྣམས་ལ་"
    "དགའ་བསུ་ཞུ་རྒྱུ་ནི་ང་ལ་དགའ་སྤྲོ་ཆེན་པོ་ཡོད། ལོ་སུམ་ཅུའི་རིང་ལ་འགྲེམས་སྟོན་ཚོགས་འདིས་ས་ཁུལ་ཡོངས་ཀྱི་"
    "ཚོང་པ་དང་མ་རྩ་འཇོག་མཁན་རྣམས་ང་ཚོའི་གྲོང་ཁྱེར་དུ་འདུ་རུ་བཅུག་ཡོད།",
) * 2
MONGOLIAN_SCRIPT_TITLE = "ᠬᠠᠢᠯᠠᠷ ᠤᠨ ᠣᠯᠠᠨ ᠤᠯᠤᠰ ᠤᠨ ᠬᠤᠳᠠᠯᠳᠤᠭᠠᠨ ᠤ ᠦᠵᠡᠰᠬᠦᠯᠡᠩ ᠳᠦ ᠬᠡᠯᠡᠭᠰᠡᠨ ᠦᠭᠡ"
MONGOLIAN_SCRIPT = (
    "ᠬᠦᠨᠳᠦᠲᠦ ᠵᠣᠴᠢᠳ ᠠ᠂ ᠲᠠ ᠪᠦᠬᠦᠨ ᠢ ᠬᠠᠢᠯᠠᠷ ᠬᠣᠲᠠ ᠳᠤ ᠤᠷᠢᠵᠤ ᠪᠠᠢᠭ᠎ᠠ ᠳᠤ ᠪᠠᠶᠠᠷᠲᠠᠢ ᠪᠠᠢᠨ᠎ᠠ᠃ ᠬᠠᠢᠯᠠᠷ ᠪᠣᠯ "
    "ᠣᠷᠣᠰ᠂ ᠮᠣᠩᠭᠣᠯ ᠤᠯᠤᠰ ᠲᠤ ᠨᠡᠭᠡᠭᠳᠡᠭᠰᠡᠨ ᠡᠭᠦᠳᠡ ᠪᠣᠯᠤᠨ᠎ᠠ᠃ ᠭᠤᠴᠢᠨ ᠵᠢᠯ ᠦᠨ ᠳᠤᠷᠠᠨ ᠳᠤ ᠡᠨᠡ ᠦᠵᠡᠰᠬᠦᠯᠡᠩ "
    "ᠬᠤᠳᠠᠯᠳᠤᠭᠠᠴᠢᠳ ᠢ ᠴᠤᠭᠯᠠᠭᠤᠯᠵᠤ ᠢᠷᠡᠯ᠎ᠡ᠃",
) * 2
CHINESE_TITLE = "在海拉尔国际经贸洽谈会开幕式上的致辞"
CHINESE_LEAD = (
    "尊敬的各位嘉宾，女士们、先生们，朋友们：",
    "今天，我们在这里隆重举行海拉尔国际经贸洽谈会。三十年来，洽谈会已经成为我区对外开放的"
    "重要窗口，吸引了俄罗斯、蒙古国以及日本、韩国等国家和地区的客商前来洽谈合作。",
    "当前，世界经济缓慢复苏，国际贸易重新增长。我们将进一步扩大开放，优化营商环境，"
    "为中外企业投资兴业提供更加优质的服务。",
)


@pytest.mark.parametrize(
    ("title", "body", "tag"),
    [
        (JAPANESE_TITLE, JAPANESE, "ja"),
        ("施政方針演説", JAPANESE_OFFICIAL, "ja"),
        (KOREAN_TITLE, KOREAN, "ko"),
        (RUSSIAN_TITLE, RUSSIAN, "ru"),
        # a Russian speech quoting an English sentence is Russian, not English by its words
        (
            RUSSIAN_TITLE,
            (
                *RUSSIAN,
                "Как сказал один наш гость: “Trade is the way to peace, and the fair is the "
                "place where we meet our neighbours, make friends and build the future of the "
                "whole region together with them.”",
            ),
            "ru",
        ),
        ("Виступ на Хайларському міжнародному торговельному ярмарку", UKRAINIAN, "uk"),
        ("Хайларын олон улсын худалдааны үзэсгэлэнд тавьсан үг", MONGOLIAN, "mn"),
        (ARABIC_TITLE, ARABIC, "ar"),
        ("נאום בפתיחת היריד הבינלאומי בהיילאר", HEBREW, "he"),
        ("Ομιλία στη Διεθνή Εμπορική Έκθεση του Χαϊλάρ", GREEK, "el"),
        (PERSIAN_TITLE, PERSIAN, "fa"),  # (ک and ی, where Arabic writes ك and ي)
        # China's own languages: Xinjiang's Uyghur, Tibetan, Inner Mongolia's Mongolian script
        (UYGHUR_TITLE, UYGHUR, "ug"),
        (TIBETAN_TITLE, TIBETAN, "bo"),
        (MONGOLIAN_SCRIPT_TITLE, MONGOLIAN_SCRIPT, "mn-Mong"),
    ],
)
def test_a_speech_in_another_script_has_its_language(
    title: str, body: tuple[str, ...], tag: str
) -> None:
    assert speech_language(title, body) == tag


def test_an_english_speech_quoting_russian_is_english() -> None:
    quote = "Как говорят наши соседи: «Дружба дружбой, а служба службой»."
    assert speech_language(ENGLISH_TITLE, (*ENGLISH, quote)) == "en"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # a Chinese speech quoting a passage in each script: Chinese, with no lang of its own
        (CHINESE_TITLE, (*CHINESE_LEAD, f"正如日本朋友所说：“{JAPANESE[1]}”")),
        (CHINESE_TITLE, (*CHINESE_LEAD, f"韩国客商代表说：“{KOREAN[1]}”")),
        (CHINESE_TITLE, (*CHINESE_LEAD, f"俄罗斯朋友说：“{RUSSIAN[1]}”")),
        (CHINESE_TITLE, (*CHINESE_LEAD, f"阿拉伯朋友说：“{ARABIC[1]}”")),
        # ー and ・ typed for a dash and a name's dot, a Japanese name in katakana
        (
            CHINESE_TITLE,
            (
                *CHINESE_LEAD,
                "2023ー2025年，我们与索尼、パナソニック等企业签订合作协议，"
                "引进让・雅克・卢梭研究中心和中国ー东盟合作项目。" * 3,
            ),
        ),
        # a Japanese body under a Chinese title: which of the two is the page's? Neither tag.
        ("日本客商代表在海拉尔国际经贸洽谈会上的致辞", JAPANESE),
        # Russian under a Chinese title, Korean under an English one
        (CHINESE_TITLE, RUSSIAN),
        (ENGLISH_TITLE, KOREAN),
        # each paragraph in Japanese and in Chinese (or Korean and Chinese): bilingual, neither
        (JAPANESE_TITLE, [f"{p}{c}" for p, c in zip(JAPANESE, CHINESE_LEAD, strict=False)]),
        (KOREAN_TITLE, [f"{p}{c}" for p, c in zip(KOREAN, CHINESE_LEAD, strict=False)]),
        # half in Russian, half in English: neither
        (RUSSIAN_TITLE, (*RUSSIAN, *ENGLISH)),
        # Cyrillic in a language not listed (Kazakh: ә, қ, ң, і; Serbian: ј, ђ, ћ)
        (
            "Хайлар халықаралық сауда жәрмеңкесіндегі сөз",
            [
                "Құрметті қонақтар! Хайлар қаласында өтіп жатқан халықаралық сауда жәрмеңкесіне "
                "қош келдіңіздер. Хайлар Ресей мен Моңғолияға ашылған қақпа. Отыз жыл бойы бұл "
                "жәрмеңке аймақтың саудагерлері мен инвесторларын біздің қалаға жинап келеді."
            ]
            * 2,
        ),
        (
            "Говор на међународном сајму у Хајлару",
            [
                "Даме и господо, велико ми је задовољство да вас поздравим у Хајлару, капији ка "
                "Русији и Монголији. Већ тридесет година овај сајам окупља трговце и инвеститоре "
                "из целог региона у нашем граду, и ми ћемо одржати обећање сваком партнеру."
            ]
            * 2,
        ),
        # Arabic letters in Urdu (ٹ, ڈ, ے): no tag rather than ar or fa
        (
            "ہائلار بین الاقوامی تجارتی میلے میں تقریر",
            [
                "خواتین و حضرات، مجھے ہائلار میں آپ کا خیرمقدم کرتے ہوئے بہت خوشی ہو رہی ہے۔ "
                "تیس سال سے یہ میلہ پورے علاقے کے تاجروں اور سرمایہ کاروں کو ہمارے شہر میں اکٹھا "
                "کرتا ہے، اور ہم ہر ساتھی سے کیا گیا وعدہ پورا کریں گے۔ ٹرین اور ڈاک بھی چلتی ہے۔"
            ]
            * 2,
        ),
        # the Mongolian script with Manchu's letters (Xinjiang's Sibe): no Mongolian tag
        (
            MONGOLIAN_SCRIPT_TITLE,
            [f"{MONGOLIAN_SCRIPT[0]} ᡝᠮᡠ ᡩᠣᠣ ᡤᡳᠰᡠᠨ ᠪᡳ᠉"],
        ),
        # a Chinese speech quoting a Tibetan or Uyghur passage: Chinese
        (CHINESE_TITLE, (*CHINESE_LEAD, f"藏族代表说：“{TIBETAN[0]}”")),
        (CHINESE_TITLE, (*CHINESE_LEAD, f"维吾尔族代表说：“{UYGHUR[0]}”")),
        # Cyrillic letters run together, as a Chinese file's bytes read in the wrong encoding
        ("Выступление", ["ЦЪЛЦОЮЩЦЮФЪЯЮЪРЮЦЗЛЙЕМЮЦЗЛЙЕМЮЫЮРЦЫЛЙЬЭЮЦЪЕФЬЦЮЭЫЛЙЫЮЦЗ" * 8]),
    ],
)
def test_a_chinese_speech_quoting_another_script_has_no_language_of_its_own(
    title: str, body: tuple[str, ...]
) -> None:
    assert speech_language(title, body) is None


def test_ingest_writes_lang_for_a_japanese_speech_and_keeps_a_quoting_chinese_file(
    tmp_path: Path,
) -> None:
    """`lang: ja` in the Japanese speech's front matter; none in a Chinese one quoting a
    Japanese and an Arabic passage, whose file is byte for byte what it was before."""
    quoting = (*CHINESE_LEAD, f"正如日本朋友所说：“{JAPANESE[1]}”", f"阿拉伯朋友说：“{ARABIC[1]}”")
    write_raw(tmp_path, "japanese.txt", "\n\n".join((JAPANESE_TITLE, *JAPANESE)) + "\n")
    write_raw(tmp_path, "chinese.txt", "\n".join((CHINESE_TITLE, *quoting)) + "\n")
    report = run_ingest(tmp_path)
    assert not report.failed
    files = {read_front_matter(path)["title"]: path for path in speeches_dir(tmp_path).glob("*.md")}
    assert read_front_matter(files[JAPANESE_TITLE])["lang"] == "ja"
    chinese = files[CHINESE_TITLE].read_text("utf-8")
    assert "\nlang:" not in chinese


@pytest.mark.parametrize(
    ("title", "body", "tag"),
    [
        (RUSSIAN_TITLE, RUSSIAN, "ru"),
        ("Ομιλία στη Διεθνή Εμπορική Έκθεση του Χαϊλάρ", GREEK, "el"),
        (ARABIC_TITLE, ARABIC, "ar"),
        ("נאום בפתיחת היריד הבינלאומי בהיילאר", HEBREW, "he"),
        (KOREAN_TITLE, KOREAN, "ko"),
        (UYGHUR_TITLE, UYGHUR, "ug"),
        (TIBETAN_TITLE, TIBETAN, "bo"),
    ],
)
def test_a_speech_in_another_script_is_ingested_with_its_title_and_its_address(
    tmp_path: Path, title: str, body: tuple[str, ...], tag: str
) -> None:
    """It was refused, "no recognisable title": titles were found by Chinese or Latin letters
    alone. Then its text was page chrome until a Chinese or English sentence came, and its
    address (Κυρίες και κύριοι,) was removed, or joined to the next line without a space."""
    write_raw(tmp_path, "speech.txt", "\n".join((title, *body)) + "\n")
    report = run_ingest(tmp_path)
    assert not report.failed, [r.error for r in report.failed]
    (path,) = speeches_dir(tmp_path).glob("*.md")
    front = read_front_matter(path)
    assert front["title"] == title and front["lang"] == tag
    text = path.read_text("utf-8").split("\n---\n", 1)[1]
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith("{#")]
    assert paragraphs[0] == body[0].strip()  # (the address, or the first paragraph, whole)
    assert paragraphs[1].startswith(body[1].strip()[:12])
