"""The monthly website-update score of a unit in the 双百考核 (seed 003 第二十一、二十二条).

The 双百考核 has two parts of 100 points each (hence "two hundreds"): website maintenance in the
public part (第二十一条) and work news (动态信息) in the information part (第二十二条). Each rule
says which part it belongs to and its weight.

Formula, per unit and month, per part::

    part = 100 × Σ(weight × periods met ÷ periods assessed) ÷ Σ weight

over the rules of that part with at least one period assessed for the unit in the month: each
rule holds a share of the 100 points in proportion to its weight, and each missed period loses
that share divided by the number of periods assessed. A weekly rule is assessed on the weeks that
end (Sunday) in the month, a monthly rule on the month, a quarterly or yearly rule only in the
month its period ends. A department rule (每个科室) assesses one period per department. A part
with no rule assessed for the unit that month keeps its 100 points (nothing asked, nothing lost).
Total = public + information (out of 200); units are ranked by total, ties share a rank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from zhengtong.quotas.compliance import MET, MISSED, Status
from zhengtong.quotas.models import QuotaRule

FULL = Decimal(100)
ONE_PLACE = Decimal("0.1")


@dataclass
class RuleTally:
    rule_id: int
    name: str
    part: str
    weight: int
    assessed: int = 0
    met: int = 0

    @property
    def missed(self) -> int:
        return self.assessed - self.met

    def as_json(self) -> dict:
        return {"rule": self.rule_id, "name": self.name, "part": self.part, "weight": self.weight,
                "assessed": self.assessed, "met": self.met, "missed": self.missed}


@dataclass
class UnitScore:
    unit_id: int
    public: Decimal = FULL
    information: Decimal = FULL
    rank: int = 0
    tallies: list[RuleTally] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.public + self.information

    @property
    def met(self) -> int:
        return sum(tally.met for tally in self.tallies)

    @property
    def missed(self) -> int:
        return sum(tally.missed for tally in self.tallies)


def part_score(tallies: Iterable[RuleTally]) -> Decimal:
    tallies = [tally for tally in tallies if tally.assessed]
    total_weight = sum(tally.weight for tally in tallies)
    if not total_weight:
        return FULL
    earned = sum(Decimal(tally.weight) * tally.met / tally.assessed for tally in tallies)
    return (FULL * earned / total_weight).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def score_units(statuses: Iterable[Status]) -> list[UnitScore]:
    """Scores of every unit that had at least one scored period, ranked (1 is best).

    ``statuses`` are the scored periods of the month, all over (met or missed).
    """
    tallies: dict[int, dict[int, RuleTally]] = defaultdict(dict)
    for status in statuses:
        if not status.scored or status.state not in (MET, MISSED):
            continue
        rule = status.rule
        tally = tallies[status.subject.unit_id].setdefault(
            rule.pk, RuleTally(rule_id=rule.pk, name=rule.name, part=rule.part, weight=rule.weight))
        tally.assessed += 1
        tally.met += status.state == MET
    scores = []
    for unit_id, by_rule in tallies.items():
        rows = list(by_rule.values())
        scores.append(UnitScore(
            unit_id=unit_id, tallies=rows,
            public=part_score(t for t in rows if t.part == QuotaRule.Part.PUBLIC),
            information=part_score(t for t in rows if t.part == QuotaRule.Part.INFORMATION)))
    scores.sort(key=lambda score: (-score.total, score.unit_id))
    for index, score in enumerate(scores):
        tied = index and scores[index - 1].total == score.total
        score.rank = scores[index - 1].rank if tied else index + 1
    return scores
