"""The e-mail a speech was forwarded in: header blocks and notes at the top, and the subject."""

from __future__ import annotations

import pytest

from generator.ingest.mail import mail_top, subject_title

SPEECH = [
    "在全县防汛工作会议上的讲话",
    "同志们：",
    "今天召开全县防汛工作会议，主要是分析今年汛期形势，对防汛工作进行再动员、再部署。",
    "据气象部门预测，今年汛期我县降水偏多，极端天气发生概率较大，防汛形势严峻复杂。",
]


def test_headers_and_the_note_above_the_last_block_are_the_mails() -> None:
    texts = [
        "-----Original Message-----",
        "From: 办公室 <bgs@xx.gov.cn>",
        "Sent: Monday, March 4, 2024 9:15 AM",
        "Subject: 转发：讲话（定稿）",
        "",
        "王秘书：",
        "附件是讲话定稿，请按程序印发。",
        "---------- 转发的邮件 ----------",
        "发件人：李红 <lihong@xx.gov.cn>",
        "主题：书记讲话（定稿）",
        "",
        *SPEECH,
    ]
    top = mail_top(texts)
    assert top is not None
    assert top.end == 10
    assert top.headers == {0, 1, 2, 3, 7, 8, 9}  # (5 and 6: the forwarder's note)
    assert top.subject == "书记讲话（定稿）"  # the last block's: the mail the speech came in


@pytest.mark.parametrize(
    "texts",
    [
        ["在全县防汛工作会议上的讲话", "时间：2024年6月4日", "日期：2024年6月4日", *SPEECH[1:]],
        ["Subject: 讲话", "To: 综合科", *SPEECH],  # no sender: a pair of fields is no header
        ["From: 办公室", *SPEECH],  # one field alone
        # more text above the block than below it: a speech that quotes a mail
        [*SPEECH, *SPEECH, "发件人：李红", "主题：通知", "请各单位于周五前报送材料。"],
    ],
)
def test_what_is_not_a_mails_top(texts: list[str]) -> None:
    assert mail_top(texts) is None


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Fw: 在全县防汛工作会议上的讲话（定稿）", "在全县防汛工作会议上的讲话"),
        ("回复：转发：市长讲话稿(终稿)", "市长讲话稿"),
        ("RE: FWD: 讲话", "讲话"),
        ("转发：", None),
        (None, None),
    ],
)
def test_a_subject_as_a_title(subject: str | None, title: str | None) -> None:
    assert subject_title(subject) == title
