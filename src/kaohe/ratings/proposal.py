"""Who rates whom, as the system proposes it (Q3), and which indicators a rater group gives marks on: pure,
no session, no clock.

Proposal, per quarter:
- the 分管领导 group: the person's supervisor (Staff.supervisor_id), or else their department's leader,
  never the person themself;
- the peers group: `peers_per_person` colleagues of the same department (fewer in a smaller department),
  never the person themself nor their proposed leader. The department's members are put in an order that
  is a shuffle seeded with the quarter and the department (so the same unit always gets the same
  proposal), and each member is rated by the next ones round that circle: everyone rates about as many
  colleagues as rate them (exactly `peers_per_person` when nobody's leader is among them);
- experts and service recipients are not proposed: HR assigns experts and sends invitations.
"""

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kaohe.scheme.enums import Scale
from kaohe.scheme.indicators import Indicator, Qualitative
from kaohe.scheme.models import Scheme
from kaohe.scheme.tree import indicators_for, leaves

LEADER, PEERS, RECIPIENTS, EXPERTS = "leader", "peers", "recipients", "experts"


@dataclass(frozen=True)
class Person:
    id: int
    department_id: int
    supervisor_id: int | None


def propose(people: Sequence[Person], *, department_leaders: Mapping[int, int | None], peers_per_person: int,
            seed: str) -> list[tuple[int, str, int]]:
    """(ratee, group, rater) for every active person in `people`, leaders first, then peers."""
    present = {p.id for p in people}
    out: list[tuple[int, str, int]] = []
    leader_of: dict[int, int] = {}
    for person in people:
        for candidate in (person.supervisor_id, department_leaders.get(person.department_id)):
            if candidate is not None and candidate != person.id and candidate in present:
                leader_of[person.id] = candidate
                out.append((person.id, LEADER, candidate))
                break
    departments: dict[int, list[int]] = {}
    for person in people:
        departments.setdefault(person.department_id, []).append(person.id)
    for department_id in sorted(departments):
        members = sorted(departments[department_id])
        random.Random(f"{seed}:{department_id}").shuffle(members)
        size = len(members)
        for index, ratee in enumerate(members):
            chosen = 0
            for step in range(1, size):
                if chosen >= peers_per_person:
                    break
                rater = members[(index + step) % size]
                if rater == leader_of.get(ratee):
                    continue
                out.append((ratee, PEERS, rater))
                chosen += 1
    return out


@dataclass(frozen=True)
class Leaf:
    """A qualitative indicator one rater group gives marks on, with the marks it allows."""

    code: str
    name: str
    standard: str
    low: int
    high: int
    min_raters: int


def scale_of(scheme: Scheme, measure: Qualitative) -> tuple[int, int]:
    """The marks a qualitative indicator allows: 1–5 on the five-point scale, 0–`quarterly.rating_scale_max`
    on the hundred-point one (the same bounds as the quarterly engine's)."""
    if measure.scale is Scale.five_point:
        return 1, 5
    return 0, scheme.quarterly.rating_scale_max


def form_leaves(scheme: Scheme, *, category: object, level: object, department: str | None, post: str | None,
                group: str) -> list[Leaf]:
    """The qualitative leaves of one person's tree whose raters include `group`, in the tree's order."""
    tree = indicators_for(scheme, category=category, level=level, department=department,  # type: ignore[arg-type]
                          post=post)
    return list(leaves_for_group(scheme, leaves(tree), group))


def leaves_for_group(scheme: Scheme, nodes: Iterable[Indicator], group: str) -> Iterable[Leaf]:
    for node in nodes:
        measure = node.measure
        if isinstance(measure, Qualitative) and group in measure.raters:
            low, high = scale_of(scheme, measure)
            yield Leaf(node.code, node.name, node.standard, low, high,
                       max(measure.min_raters, scheme.raters.min_raters))
