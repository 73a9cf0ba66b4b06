"""Quality signals on daily records: copy-paste, last-minute bursts, empty and late records."""

import random
from datetime import UTC, datetime, timedelta

from kaohe.records.signals import TextRecord, bursts, late, near_duplicates, shingles, too_short

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

ORIGINAL = ("完成城东片区招商项目对接会筹备工作，邀请重点企业十二家，落实会场、议程和接待方案；"
            "协调发改、自然资源部门解决项目用地指标问题，形成会议纪要并报分管领导审定。")
EDITED = ("完成城东片区招商项目对接会筹备工作，邀请重点企业十三家，落实会场、议程和接待方案；"
          "协调发改、自然资源部门解决项目用地指标问题，形成会议纪要并报分管领导审定！")
OTHER = ("走访辖区养老服务中心三处，核查消防设施和食品安全台账，发现两处问题当场督促整改，"
         "整改情况已录入监管平台，下周复查。")


def record(id, author, text, *, entered=T0, ended=None):  # type: ignore[no-untyped-def]
    return TextRecord(id, author, "标题", text, ended or entered - timedelta(hours=1), entered)


def test_it_finds_a_pasted_record_with_small_edits_between_colleagues():
    pairs = near_duplicates([record(1, "张三", ORIGINAL, entered=T0),
                             record(2, "李四", EDITED, entered=T0 + timedelta(days=2)),
                             record(3, "王五", OTHER)])
    assert len(pairs) == 1
    pair = pairs[0]
    assert (pair.first_id, pair.second_id, pair.first_author, pair.second_author) == (1, 2, "张三", "李四")
    assert pair.similarity >= 0.85 and not pair.same_author
    assert pair.excerpt and pair.excerpt in ORIGINAL and pair.excerpt in EDITED
    assert "李四" in pair.message and "张三" in pair.message


def test_it_finds_the_same_author_repeating_themselves():
    pairs = near_duplicates([record("b", "张三", EDITED, entered=T0 + timedelta(days=7)),
                             record("a", "张三", ORIGINAL)])
    assert [(pair.first_id, pair.second_id, pair.same_author) for pair in pairs] == [("a", "b", True)]


def test_it_does_not_pair_different_texts_or_tiny_ones():
    assert near_duplicates([record(1, "张三", ORIGINAL), record(2, "张三", OTHER)]) == []
    assert near_duplicates([record(1, "张三", "开会"), record(2, "李四", "开会")]) == []


def test_it_ignores_spacing_and_punctuation():
    respaced = " ".join(ORIGINAL.replace("，", ",").replace("；", ";"))
    assert shingles(respaced) == shingles(ORIGINAL)
    pairs = near_duplicates([record(1, "张三", ORIGINAL), record(2, "李四", respaced)])
    assert pairs[0].similarity == 1.0


def test_it_agrees_with_comparing_every_pair():
    rng = random.Random(7)
    phrases = ["完成", "项目", "协调", "审核", "材料", "会议", "整改", "台账", "走访", "企业", "服务", "窗口",
               "群众", "满意", "督办", "报送", "数据", "系统", "培训", "安全"]
    texts = ["".join(rng.choice(phrases) for _ in range(30)) for _ in range(60)]
    for i in range(0, 60, 6):  # some near copies
        chars = list(texts[i])
        chars[rng.randrange(len(chars))] = "改"
        texts[i + 1] = "".join(chars)
    records = [record(i, i % 5, text) for i, text in enumerate(texts)]
    for threshold in (0.5, 0.85):
        found = {(p.first_id, p.second_id) for p in near_duplicates(records, threshold=threshold)}
        expected = set()
        for i in range(60):
            for j in range(i + 1, 60):
                a, b = shingles(texts[i]), shingles(texts[j])
                if len(a) >= 5 and len(b) >= 5 and len(a & b) / len(a | b) >= threshold:
                    expected.add((i, j))
        assert found == expected


def test_it_finds_a_burst_before_the_month_close():
    deadline = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    entries = [("张三", deadline - timedelta(hours=h)) for h in (1, 2, 3, 5, 8, 30)]  # 6 in 48 h
    entries += [("张三", deadline - timedelta(days=d)) for d in (10, 20)]
    entries += [("李四", deadline - timedelta(days=d)) for d in range(1, 25, 3)]  # steady
    entries += [("王五", deadline - timedelta(hours=h)) for h in (1, 2, 3, 4)]  # only four
    entries += [("赵六", deadline + timedelta(hours=h)) for h in range(1, 8)]  # after: not this close
    found = bursts(entries, deadline=deadline)
    assert [(b.author_id, b.count, b.total) for b in found] == [("张三", 6, 8)]
    burst = found[0]
    assert burst.share == 0.75 and burst.first_at == deadline - timedelta(hours=30)
    assert "张三" in burst.message and "48" in burst.message
    assert [b.author_id for b in bursts(entries, deadline=deadline, min_count=4)] == ["张三", "王五"]


def test_it_flags_records_too_short_to_say_anything():
    found = too_short([record(1, "张三", "开会。  参加了会议！"), record(2, "张三", ORIGINAL)])
    assert [(item.record_id, item.chars) for item in found] == [(1, 7)]
    assert "7" in found[0].message


def test_it_flags_records_entered_after_the_24_hour_limit():
    ended = T0
    records = [record(1, "张三", ORIGINAL, ended=ended, entered=ended + timedelta(hours=24)),
               record(2, "张三", ORIGINAL, ended=ended, entered=ended + timedelta(hours=24, minutes=1)),
               record(3, "李四", ORIGINAL, ended=ended, entered=ended + timedelta(days=5))]
    found = late(records)
    assert [item.record_id for item in found] == [3, 2]
    assert found[0].hours == 120
    assert [item.record_id for item in late(records, limit_hours=200)] == []
