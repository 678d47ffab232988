"""The words of the index in plain language: one definition each, shown as tooltips beside the jargon on the
pages (:func:`tip`) and as the glossary of the Methodology page (``/methodology#glossary``, :func:`entries`).

Definitions and terms answer in the language of the current request: :data:`GLOSSARY` is an
:class:`dashboard.i18n.Labels` table (English keys, translated values on every access) and :func:`term`
gives the word itself in the current language (codes such as TCN, BIP and NUTS stay as they are).
"""

from __future__ import annotations

from dashboard import i18n
from dashboard.i18n import N_

#: term → definition (plain words, one or two sentences). Keys are the words as they appear on screen in English;
#: values are translated when read (``GLOSSARY["TCN"]`` is French in a French request).
GLOSSARY: i18n.Labels = i18n.Labels({
    "TCN": N_("Third-country nationals: people living in the region who are citizens of a country outside the EU "
              "(and outside the EFTA countries)."),
    "BIP": N_("Beneficiaries of international protection: people granted refugee status or subsidiary protection."),
    "Target population": N_("Whom an indicator's policy is for: third-country nationals (TCN), beneficiaries of "
                            "international protection (BIP), or both."),
    "Policy output": N_("The second step of the policy cycle: what the region actually produces (strategies, plans, "
                        "services, rules) once a policy has been formulated."),
    "Policy cycle": N_("The four steps a policy goes through: formulation, policy output, implementation and "
                       "evaluation."),
    "Elements": N_("How the region governs integration: what it does (actions), with whom (actors and the relations "
                   "between them) and with what means (resources)."),
    "Overall score": N_("One number from 0 to 100 per region, computed from all its indicator answers with the rule "
                        "described on this page."),
    "Average of all regions": N_("The mean score of all regions in the data for the same dimension: the grey dashed "
                                 "line or hatched bar on the charts."),
    "Group": N_("Advanced (overall score 55 or more), intermediate (45 to under 55) or lagging (under 45): the "
                "dashboard's own thresholds."),
    "NUTS": N_("The EU's classification of regions (Nomenclature of Territorial Units for Statistics); a region's "
               "code such as PT20 (the Azores) comes from it."),
    "NUTS unit used": N_("The region the value of a context statistic is published for. When Eurostat publishes a "
                         "statistic only for a larger unit, that unit's value is shown and marked “proxy”."),
    "Eurostat table": N_("The code of the Eurostat table a context statistic comes from (e.g. lfst_r_lfe2emprtn); "
                         "it is shown on hover and listed on this page."),
})


#: The words of :data:`GLOSSARY` that are translated (codes and names such as TCN, BIP, NUTS are not).
TERMS = i18n.Labels({
    "Target population": N_("Target population"),
    "Policy output": N_("Policy output"),
    "Policy cycle": N_("Policy cycle"),
    "Elements": N_("Elements"),
    "Overall score": N_("Overall score"),
    "Average of all regions": N_("Average of all regions"),
    "Group": N_("Group"),
    "NUTS unit used": N_("NUTS unit used"),
    "Eurostat table": N_("Eurostat table"),
})


def tip(term: str) -> str:
    """The tooltip text of ``term`` in the current language (KeyError for a word the glossary does not define)."""
    return GLOSSARY[term]


def term(key: str) -> str:
    """The glossary word ``key`` as shown in the current language ("Policy output" → "Réalisations" in French);
    KeyError for a word the glossary does not define."""
    if key not in GLOSSARY:
        raise KeyError(key)
    return TERMS[key] if key in TERMS else key


def entries() -> list[tuple[str, str]]:
    """Every ``(word, definition)`` of the glossary in the current language, in the glossary's order."""
    return [(term(key), GLOSSARY[key]) for key in GLOSSARY]
