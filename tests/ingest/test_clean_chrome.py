"""Page chrome of document, news, blog and forum sites and WeChat articles (probe 18): each kind
of chrome a rule takes, the speech's lines of the same words that no rule may take, and a
preview's chrome under a line that ends in a colon, which is no list of the speech."""

from __future__ import annotations

from pathlib import Path

from generator.config import load_config
from generator.ingest.pipeline import Prepared, prepare

RULES = load_config(Path("/nonexistent-speechsite-project")).boilerplate

HEAD = [
    "在全县经济工作会议上的讲话",
    "县长 赵明远",
    "同志们：",
    "今天召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。",
]


def ingest_text(tmp_path: Path, text: str) -> Prepared:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return prepare(path, load_config(tmp_path))


def body(prepared: Prepared) -> list[str]:
    return [p.text for p in prepared.meta.body]


def test_a_document_sites_chrome_under_a_colon_is_no_list_of_the_speech(tmp_path: Path) -> None:
    # A preview cut off after a colon: the site's download prompts follow, not the items.
    text = "\n".join(
        [
            *HEAD,
            "今年要重点抓好以下几方面工作：",
            "下载文档到电脑，查找使用更方便",
            "还剩3页未读，继续阅读",
            "立即下载",
        ]
    )
    prepared = ingest_text(tmp_path, text)
    assert body(prepared)[-1] == "今年要重点抓好以下几方面工作："
    assert {r.text for r in prepared.removed} >= {
        "下载文档到电脑，查找使用更方便",
        "还剩3页未读，继续阅读",
        "立即下载",
    }


def test_the_speechs_own_list_under_a_colon_keeps_its_toolbar_like_items(tmp_path: Path) -> None:
    # (举报 and 投诉 alone are a page's buttons; here they are the items a colon introduces)
    text = "\n".join(
        [*HEAD, "群众诉求分为以下几类：", "咨询", "投诉", "举报", "各部门要分类办理，限时答复。"]
    )
    assert body(ingest_text(tmp_path, text))[-4:-1] == ["咨询", "投诉", "举报"]
