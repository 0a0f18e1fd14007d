"""Page chrome of document, news, blog and forum sites and WeChat articles (probe 18): each kind
of chrome a rule takes, the speech's lines of the same words that no rule may take, and a
preview's chrome under a line that ends in a colon, which is no list of the speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.ingest.clean import line_rule
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


def test_an_offices_own_channels_under_a_colon_are_its_list(tmp_path: Path) -> None:
    # (扫码关注… alone is an article's chrome; an office's list of its own channels names it
    # so, and the items stay: sharing chrome does not end a list, as a site's prompts do)
    items = ["“青山发布”微信公众号", "“青山发布”抖音号", "扫码关注“青山发布”，政务信息一手掌握"]
    text = "\n".join([*HEAD, "更多政策信息请关注以下平台：", *items, "同志们，网信工作责任重大。"])
    assert body(ingest_text(tmp_path, text))[-4:-1] == items


def test_the_speechs_own_list_under_a_colon_keeps_its_toolbar_like_items(tmp_path: Path) -> None:
    # (举报 and 投诉 alone are a page's buttons; here they are the items a colon introduces)
    text = "\n".join(
        [*HEAD, "群众诉求分为以下几类：", "咨询", "投诉", "举报", "各部门要分类办理，限时答复。"]
    )
    assert body(ingest_text(tmp_path, text))[-4:-1] == ["咨询", "投诉", "举报"]


@pytest.mark.parametrize(
    "line",
    [
        # links to the previous and next article on a blog, an essay site, a news page
        "前一篇：2023年青山县政府工作报告",
        "后一篇：学习政府工作报告的体会",
        "上一篇文章：在全县农村工作会议上的讲话",
        "下一篇文章：没有了",
        "阅读下一篇：",
        # a repost's credits and a newspaper's editor
        "监制：张明  主编：陈芳  编辑：刘洋",
        "责编：李冰 赵阳",
        "文章录入：gwy    责任编辑：gwy",
        "《 青山日报 》（ 2024年03月06日 第 03 版）",
        # a reader's buttons and counters
        "【发表评论】【加入收藏】【告诉好友】【打印此文】【关闭窗口】",
        "阅读(123)┊ 评论 (0)┊ 收藏(0)┊转载(0) ┊ 喜欢▼ ┊打印┊举报",
        "我要举报",
        "举报文档",
        "阅读 1.2万",
        "写留言",
        "精选留言",
        "点分享",
        "点点赞",
        "觉得好看，请点这里↓",
        "12 人赞同了该文章",
        "还没有评论，发表第一个评论吧",
        "在“学习强国”APP中打开",
        "某某APP内打开",
        "打开某某头条，查看更多精彩",
        "#政府工作报告",
        "#青山两会# #乡村振兴",
        # a document site's slots, notes and disclaimers
        "可在后台配置第一页与第二页中间广告代码",
        "预览结束，喜欢就下载吧！",
        "5下载券",
        "内容提供方：xiaoli2020",
        "2024年青山县政府工作报告.doc_第2页",
        "资源预览需要最新版本的Flash Player支持。",
        "文档简介",
        "资源描述：",
        "文档格式：.doc",
        "暂无评价",
        "点击阅读更多内容",
        "温馨提示：如果因为网速或其他原因下载失败请重新下载，重复下载不扣分。",
        "某某文库网所有资源均是用户自行上传分享，仅供网友学习交流，未经上传用户书面授权，请勿作他用。",
        "本文(讲话.doc)为本站会员(abc2019)主动上传，某某文库仅提供信息存储空间，对上载内容本身不做任何修改或编辑。",
        "若此文所含内容侵犯了您的版权或隐私，请立即通知某某文库，我们立即给予删除！",
        "网友评论：（只显示最新10条。评论内容只代表网友观点，与本站立场无关！）",
        "《在全县经济工作会议上的讲话》由会员abc123分享，可在线阅读，更多相关《讲话》请在某某网上搜索。",
        "本文档为【在全县经济工作会议上的讲话】，编号：7408523134675",
        "查看更多2024年政府工作报告相关范文",
        # a forum's footer and reply box
        "Powered by Discuz! X3.4",
        "GMT+8, 2024-2-6 10:20 , Processed in 0.056 second(s), 22 queries .",
        "发表回复",
        "回帖后跳转到最后一页",
        "使用道具 举报",
        "回复",
        "沙发",
        # a portal's footer and labels
        "上海市互联网违法和不良信息举报中心",
        "本站支持IPv6访问",
        "联系电话：0471-6944567  地址：某某市新华大街1号",
        "相关附件：",
        "图片",
    ],
)
def test_a_kind_of_page_chrome_is_taken_by_a_rule(line: str) -> None:
    assert line_rule(line, RULES) is not None


@pytest.mark.parametrize(
    "line",
    [
        "前一篇文章写得很好，后一篇要更加注重调查研究。",
        "主编：要把好导向关、内容关。",  # a run-in label of the speech
        "#平安中国# 是我们共同的心愿。",
        "大家要踊跃留言，积极建言献策。",
        "回复群众诉求要及时。",
        "阅读是一种习惯。",
        "我们要建立违法和不良信息举报中心，畅通举报渠道。",
        "广告位的设置要符合城市规划。",
        "在政务APP中打开办事页面，即可在线办理。",
        "对侵犯了您的合法权益的行为，要依法维权。",
    ],
)
def test_the_speechs_sentences_in_the_same_words_are_no_chrome(line: str) -> None:
    assert line_rule(line, RULES) is None


def test_a_related_list_under_the_articles_title_in_brackets_is_the_pages_footer(
    tmp_path: Path,
) -> None:
    text = "\n".join(
        [
            *HEAD,
            "最后，希望大家推动全县经济工作再上新台阶。",
            "【在全县经济工作会议上的讲话】相关文章：",
            "在全县农村工作会议上的讲话",
            "2024-03-21",
        ]
    )
    assert body(ingest_text(tmp_path, text))[-1] == "最后，希望大家推动全县经济工作再上新台阶。"
