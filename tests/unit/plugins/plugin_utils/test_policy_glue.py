"""The bulk prefilter used before locate agrees exactly with the full classifier."""

from __future__ import annotations

import random

from ansible_collections.camguard.network.plugins.module_utils._mac import int_to_mac
from ansible_collections.camguard.network.plugins.module_utils._policy import shipped_policy
from ansible_collections.camguard.network.plugins.plugin_utils._policy_glue import (
    build_verdict_fn,
    restricted_prefilter,
)


def sample_macs(seed: int, n: int) -> list:
    r = random.Random(seed)
    prefixes = list(shipped_policy().prefixes)
    out = []
    for _unused in range(n):
        if r.random() < 0.5:
            p = r.choice(prefixes)
            value = (p.value << (48 - p.bits)) | r.getrandbits(48 - p.bits)
        else:
            value = r.getrandbits(48)
        out.append(int_to_mac(value))
    return out


def test_prefilter_matches_full_verdicts_with_and_without_registry() -> None:
    for use_registry, profiles in ((False, ["default"]), (True, ["default", "prc_cctv"])):
        verdict_for = build_verdict_fn(profiles, None, None, use_registry)
        macs = sample_macs(7, 3000)
        expected = {m for m in macs if verdict_for(m, "sw", "Gi1/0/1").restricted}
        assert restricted_prefilter(macs) == expected
        assert expected  # the sample does contain restricted MACs
