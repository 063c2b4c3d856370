"""Every parameter and rule of the shipped packs cites a quote found, as written, in one line of its seed.

The seed documents are not part of the project; the check runs where they are present (FUPIN_SEEDS_DIR,
or the shared folder beside the repository) and is skipped elsewhere.
"""

from __future__ import annotations

import pytest
from support.seeds import REPO, SEEDS_DIR

from fupin.policy.engine.packfile import SEEDS


def all_cites(pack):
    for name, param in pack.parameters.items():
        assert param.cite, f"{pack.key}: parameter {name} has no citation"
        for cite in param.cite:
            yield f"parameters.{name}", cite
    for rule in pack.rules:
        clause_cites = [c for clause in rule.clauses for c in clause.cite]
        assert rule.cite or (clause_cites and all(clause.cite for clause in rule.clauses)), \
            f"{pack.key}: rule {rule.id} has no citation"
        for cite in [*rule.cite, *clause_cites]:
            yield f"rules[{rule.id}]", cite


def test_every_rule_and_parameter_is_cited(shipped):
    assert sum(1 for pack in shipped.packs.values() for _ in all_cites(pack)) > 150


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed documents are not present here")
def test_every_quote_is_in_its_seed(shipped):
    lines = {seed: (SEEDS_DIR / name).read_text(encoding="utf-8").splitlines() for seed, name in SEEDS.items()}
    missing = [(pack.key, where, cite.seed, cite.quote)
               for pack in shipped.packs.values() for where, cite in all_cites(pack)
               if not any(cite.quote in line for line in lines[cite.seed])]
    assert missing == []


def test_every_decision_a_pack_names_is_written_down(shipped):
    named = {p.decision for pack in shipped.packs.values() for p in pack.parameters.values() if p.decision}
    named |= {r.decision for pack in shipped.packs.values() for r in pack.rules if r.decision}
    assert named and all((REPO / path).is_file() for path in named), sorted(named)
