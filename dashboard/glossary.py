"""The words of the index in plain language: one definition each, shown as tooltips beside the jargon on the
pages (:func:`tip`) and as the glossary of the Methodology page (``/methodology#glossary``)."""

from __future__ import annotations

#: term → definition (plain words, one or two sentences). Keys are the words as they appear on screen.
GLOSSARY: dict[str, str] = {
    "TCN": "Third-country nationals: people living in the region who are citizens of a country outside the EU "
           "(and outside the EFTA countries).",
    "BIP": "Beneficiaries of international protection: people granted refugee status or subsidiary protection.",
    "Target population": "Whom an indicator's policy is for: third-country nationals (TCN), beneficiaries of "
                         "international protection (BIP), or both.",
    "Policy output": "The second step of the policy cycle: what the region actually produces (strategies, plans, "
                     "services, rules) once a policy has been formulated.",
    "Policy cycle": "The four steps a policy goes through: formulation, policy output, implementation and "
                    "evaluation.",
    "Elements": "How the region governs integration: what it does (actions), with whom (actors and the relations "
                "between them) and with what means (resources).",
    "Overall score": "One number from 0 to 100 per region, computed from all its indicator answers with the rule "
                     "described on this page.",
    "Average of all regions": "The mean score of all regions in the data for the same dimension: the grey dashed "
                              "line or hatched bar on the charts.",
    "Group": "Advanced (overall score 55 or more), intermediate (45 to under 55) or lagging (under 45): the "
             "dashboard's own thresholds.",
    "NUTS": "The EU's classification of regions (Nomenclature of Territorial Units for Statistics); a region's "
            "code such as PT20 (the Azores) comes from it.",
    "NUTS unit used": "The region the value of a context statistic is published for. When Eurostat publishes a "
                      "statistic only for a larger unit, that unit's value is shown and marked “proxy”.",
    "Eurostat table": "The code of the Eurostat table a context statistic comes from (e.g. lfst_r_lfe2emprtn); "
                      "it is shown on hover and listed on this page.",
}


def tip(term: str) -> str:
    """The tooltip text of ``term`` (KeyError for a word the glossary does not define)."""
    return GLOSSARY[term]
