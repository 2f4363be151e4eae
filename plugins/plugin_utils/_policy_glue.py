# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the verdict function the locate stage needs from the inventory plugin's policy options.

``build_verdict_fn`` is the pure step. ``PolicyState`` is what one inventory build keeps of it:
the verdict function it classified with and the policy facts its summary reports. The builder
holds its own, so two ``mac_table`` sources parsed in one process never see each other's policy.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Set

from ansible_collections.camguard.network.plugins.module_utils._classify import Classifier, build_classifier
from ansible_collections.camguard.network.plugins.module_utils._classify.policy import shipped_policy
from ansible_collections.camguard.network.plugins.module_utils._records import Verdict


class ClassifierVerdictFn:
    """``(mac, switch, interface) -> Verdict`` over one classifier, with its bulk path attached.

    ``prefilter(macs)`` returns the MACs among ``macs`` whose verdict is restricted (integer
    lookups only); ``locate`` uses it so that full verdicts are built for those MACs only.
    """

    __slots__ = ("classifier",)

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def __call__(self, mac: str, switch: str, interface: str) -> Verdict:
        return self.classifier.classify(mac, switch, interface)

    def prefilter(self, macs: Sequence[str]) -> Set[str]:
        bulk = self.classifier.classify_many(macs)
        return {macs[i] for i in bulk.restricted_indexes()}


def build_verdict_fn(
    profiles: Sequence[str], policy_file: Optional[str], waiver_file: Optional[str], use_registry: bool
) -> ClassifierVerdictFn:
    """A ``(mac, switch, interface) -> Verdict`` function over the configured policy and waivers.

    Raises ``PolicyError`` naming the file and key when the overrides or waivers are malformed.
    """
    extra = [p for p in profiles if p != "default"]
    classifier: Classifier = build_classifier(
        overrides=policy_file, waivers=waiver_file, profiles=extra, use_registry=use_registry
    )
    return ClassifierVerdictFn(classifier)


class PolicyState:
    """The classifier one inventory build used (``build``) and the policy facts of its summary (``info``)."""

    __slots__ = ("summary", "verdict_fn")

    def __init__(self) -> None:
        self.verdict_fn: Optional[ClassifierVerdictFn] = None
        self.summary: Optional[Dict[str, Any]] = None

    def build(
        self, profiles: Sequence[str], policy_file: Optional[str], waiver_file: Optional[str], use_registry: bool
    ) -> ClassifierVerdictFn:
        """``build_verdict_fn``, remembered (with the classifier's summary) for ``info``."""
        verdict_for = build_verdict_fn(profiles, policy_file, waiver_file, use_registry)
        self.summary = verdict_for.classifier.summary()
        self.verdict_fn = verdict_for
        return verdict_for

    def info(self) -> Dict[str, Any]:
        """Policy version, registry date, profiles, drift and waiver counts of the classifier built;
        before any was built, the shipped policy's version and registry date."""
        summary = self.summary
        if summary is None:
            pol = shipped_policy()
            return {"policy_version": pol.policy_version, "registry_date": pol.registry_date}
        return {
            "policy_version": summary["policy_version"],
            "registry_date": summary["registry_date"],
            "policy_profiles": summary["profiles"],
            "drift_prefixes": summary["drift_prefixes"],
            "waivers_loaded": summary["waivers"],
        }
