"""E-mail headers at a file's top: a speech forwarded by e-mail and copied out of the mail
client arrives under one or more header blocks (From/Sent/To/Subject, 发件人/发送时间/主题),
each forward with the forwarder's note above the block it forwards. The speech starts after the
last block; everything above it is the mail's, not the speech's.

Left in, the Subject line became the title (Subject: 转发：书记在…的讲话), and the real title,
byline and date below the forwarded block became body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A header field as Outlook, Gmail, Foxmail, QQ and NetEase mail write it, English or Chinese.
_SENDER = r"From|Sent|发件人|发信人|发送时间|发送日期"
_FIELD_RE = re.compile(
    rf"^\s*(?P<name>{_SENDER}|To|Cc|Bcc|Date|Subject|Reply-To|Importance|"
    r"收件人|收信人|抄送|密送|日期|时间|主题|标题)\s*[:：]",
    re.IGNORECASE,
)
_SENDER_RE = re.compile(rf"^(?:{_SENDER})$", re.IGNORECASE)
_SUBJECT_RE = re.compile(r"^(?:Subject|主题|标题)$", re.IGNORECASE)
# The line a client puts above a forwarded or quoted message.
_SEPARATOR_RE = re.compile(
    r"^\s*(?:-{2,}|_{2,})?\s*(?:Original Message|Forwarded message|Forwarded Message|"
    r"转发的邮件|原始邮件|邮件原文|转发邮件信息)\s*(?:-{2,}|_{2,})?\s*$"
    r"|^\s*Begin forwarded message\s*:\s*$",
    re.IGNORECASE,
)
# A forward's or reply's mark before a subject, and a draft's tag after it.
_SUBJECT_PREFIX_RE = re.compile(r"^(?:(?:Fwd?|Re|转发|回复|答复)\s*[:：]\s*)+", re.IGNORECASE)
_DRAFT_TAG_RE = re.compile(r"[（(](?:定稿|终稿|修改稿|送审稿|初稿|草稿|最终版|修订稿)[）)]$")
_LEAST_FIELDS = 2  # a header block: a sender field and at least one more, on adjacent lines


@dataclass
class MailTop:
    """The mail's part of a file's top: its first `end` lines, of which `headers` (by index)
    are header fields or separators and the rest forwarders' notes; the last block's subject."""

    end: int
    headers: set[int]
    subject: str | None


def mail_top(texts: list[str]) -> MailTop | None:
    """The lines down to the end of the last header block, when header blocks open the file
    (a note above a block, the forwarder's, is the mail's too)."""
    fields = [_FIELD_RE.match(text) for text in texts]
    blocks = _header_blocks(texts, fields)
    if not blocks:
        return None
    end = blocks[-1][1]
    headers = {index for start, stop in blocks for index in range(start, stop)}
    notes = [text for index, text in enumerate(texts[:end]) if index not in headers]
    if _length(notes) >= _length(texts[end:]):
        return None  # (more text above the last block than below it: not a mail's top)
    subject = None
    for index in sorted(headers):
        found = fields[index]
        if found and _SUBJECT_RE.match(found.group("name")):
            subject = texts[index][found.end() :].strip() or subject
    return MailTop(end, headers, subject)


def _header_blocks(texts: list[str], fields: list[re.Match[str] | None]) -> list[tuple[int, int]]:
    """(start, stop) of each header block: adjacent fields (`fields`: each line's, if it is
    one), one of them a sender's, with the separator line above them if there is one."""
    blocks: list[tuple[int, int]] = []
    index = 0
    while index < len(texts):
        stop = index
        names = []
        while stop < len(texts) and (field := fields[stop]) is not None:
            names.append(field.group("name"))
            stop += 1
        if len(names) >= _LEAST_FIELDS and any(_SENDER_RE.match(name) for name in names):
            start = index - 1 if index and _SEPARATOR_RE.match(texts[index - 1]) else index
            blocks.append((start, stop))
        index = max(stop, index + 1)
    return blocks


def _length(texts: list[str]) -> int:
    return sum(len(text.strip()) for text in texts)


def subject_title(subject: str | None) -> str | None:
    """A mail's subject as a title: without Fw:/转发：/回复： and a draft's tag (（定稿）)."""
    if not subject:
        return None
    title = _DRAFT_TAG_RE.sub("", _SUBJECT_PREFIX_RE.sub("", subject)).strip()
    return title or None
