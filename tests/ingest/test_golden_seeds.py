"""Golden tests: the five bundled seeds ingest to exactly the Markdown in tests/golden/seeds/.

The expected files were checked by hand against the raw seeds (outlines item by item, see
test_seed_outlines). After an intended change, regenerate them with
`UPDATE_GOLDEN=1 make unit` and review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config import load_config
from generator.ingest.pipeline import ingest
from tests.conftest import ROOT

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "seeds"


def _ingest_sample(project: Path) -> dict[str, str]:
    config = load_config(project)
    report = ingest([config.raw_dir], config)
    assert not report.failed, [r.error for r in report.failed]
    return {p.name: p.read_text(encoding="utf-8") for p in config.speeches_dir.glob("*.md")}


def test_seeds_match_golden_files(project: Path) -> None:
    produced = _ingest_sample(project)
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.glob("*.md"):
            old.unlink()
        for name, text in produced.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.md")}
    assert sorted(produced) == sorted(expected)
    for name, text in expected.items():
        assert produced[name] == text, f"{name} differs from its golden file"


def test_committed_sample_is_current() -> None:
    """content/speeches/ in the repo is what ingest makes of content/raw/ today."""
    committed = {
        p.name: p.read_text(encoding="utf-8") for p in (ROOT / "content" / "speeches").glob("*.md")
    }
    expected = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.md")}
    assert committed == expected


def _outline(text: str) -> list[tuple[int, str, str]]:
    import yaml

    front = yaml.safe_load(text.split("---\n", 2)[1])
    rows: list[tuple[int, str, str]] = []

    def walk(items: list[dict[str, object]], depth: int) -> None:
        for item in items:
            rows.append((depth, str(item["label"]), str(item["title"])))
            walk(item["children"], depth + 1)  # type: ignore[arg-type]

    walk(front["outline"], 1)
    return rows


# Outlines checked by hand against content/raw/, item by item: (depth, label, title).
SEED_OUTLINES = {
    "quan-xian-zheng-fu-xi-tong-zuo-feng-zheng-dun-dong-yuan-bu.md": [
        (1, "一、", "深化思想认识，切实增强推进作风整顿的思想自觉和行动自觉"),
        (2, "第一", "作风整顿是全面贯彻落实省市全会精神的实际行动"),
        (2, "第二", "作风整顿是推动××在新起点实现新突破的必然要求"),
        (2, "第三", "作风整顿是推进政府治理体系和治理能力现代化的迫切需要"),
        (1, "二、", "紧扣目标要求，精心抓好作风整顿的组织实施"),
        (2, "（一）", "坚定四个意识，建设忠诚型政府"),
        (2, "（二）", "坚持敢闯敢试，建设创新型政府"),
        (2, "（三）", "坚持实干立身，建设担当型政府"),
        (2, "（四）", "坚持刀刃向内，建设服务型政府"),
        (2, "（五）", "坚持苦练内功，建设过硬型政府"),
        (1, "三、", "狠抓工作落实，全力确保作风整顿取得实效"),
        (2, "一要", "压实责任抓落实"),
        (2, "二要", "强化监督抓落实"),
        (2, "三要", "严格考核抓落实"),
    ],
    "quan-shi-zuo-feng-jian-she-zhuan-xiang-zhi-li-gong-zuo-hui.md": [
        (1, "一、", "正在转变，正在提升"),
        (1, "二、", "加快转变，加快提升"),
        (1, "三、", "持续转变，持续提升"),
    ],
    "quan-shi-shen-hua-ji-guan-zuo-feng-zheng-dun-ling-dao-xiao.md": [
        (1, "一要", "在思想认识上再强化"),
        (1, "二要", "在任务举措上再细化"),
        (1, "三要", "在集中整治上再攻坚"),
        (1, "四要", "在协同配合上再增强"),
    ],
    "xian-luo-shi-gong-jian-nian-dong-yuan-da-hui.md": [
        (1, "一、", "摆脱思想束缚，切实增强主动适应新常态的意识"),
        (2, "首先", "要在思想认识上适应新常态"),
        (2, "其次", "要在能力担当上适应新常态"),
        (2, "第三", "要在方式方法上适应新常态"),
        (1, "二、", "认清发展形势，牢固树立加快发展的意识"),
        (2, "（一）", "要在认清差距中强化发展意识"),
        (2, "（二）", "要在把握机遇中坚定发展信心"),
        (2, "（三）", "要在明确目标中凝聚发展力量"),
        (1, "三、", "狠抓落实攻坚，着力增强加快发展的实效"),
        (2, "（一）", "围绕大局抓落实"),
        (2, "（二）", "突出重点抓落实"),
        (2, "（三）", "主动作为抓落实"),
        (2, "（四）", "开拓创新抓落实"),
        (2, "（五）", "强化督查抓落实"),
        (1, "四、", "加强廉政建设，营造风清气正、干事创业的政治生态环境"),
        (2, "（一）", "严明政治规矩"),
        (2, "（二）", "持续改进作风"),
        (2, "（三）", "优化政务环境"),
        (2, "（四）", "严防和惩治腐败"),
    ],
    # Part 2 of 2 only: it opens inside the missing part's structure (九要, then （三）).
    "xian-zhang-xian-zheng-fu-quan-ti-kuo-da-hui-yi.md": [
        (1, "九要", "抓好明年工作谋划"),
        (1, "（三）", "毫不放松抓好底线工作，确保安全稳定"),
        (1, "四、", "狠抓落实，以高质量发展的实绩论英雄比高下"),
        (2, "（一）", "要提升能力抓落实"),
        (2, "（二）", "要提高效率抓落实"),
        (2, "（三）", "要强化担当抓落实"),
        (2, "（四）", "要团结协作抓落实"),
        (2, "（五）", "要强化督查抓落实"),
        (2, "（六）", "要廉洁从政抓落实"),
    ],
}


@pytest.mark.parametrize("name", sorted(SEED_OUTLINES))
def test_seed_outlines(project: Path, name: str) -> None:
    produced = _ingest_sample(project)
    assert _outline(produced[name]) == SEED_OUTLINES[name]
