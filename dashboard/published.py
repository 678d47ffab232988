"""Published texts about individual regions (pure constants, no imports from the app).

The MIPEX-R score tables are not available offline, but one regional profile is: the website prototype
shown in the REGIN project's WP3 presentation describes the Azores. The region profile shows that text,
with its source, beside the (illustrative) generated numbers; the generator keeps its shape
(``data/generate_illustrative.py``). Add a region here only with a text that was published.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedDescription:
    region_id: str
    title: str
    text: str
    overall: int
    source: str


PUBLISHED: dict[str, PublishedDescription] = {
    "PT20": PublishedDescription(
        region_id="PT20",
        title="Regional Profile: Região Autónoma dos Açores (Azores), Portugal",
        overall=56,
        text=(
            "The Autonomous Region of the Azores' integration policies strongly reflect the migratory profile of "
            "the region, with most of the policies directed to the small-sized TCN population, as the region does "
            "not present a relevant BIP population. The region has rather well-established policies on migrant "
            "integration (56/100). However, the region could greatly benefit from improvements in the development "
            "and in particular in the evaluation of these policies. While the region has rather well-developed "
            "mechanisms for the inclusion of different actors in the decision-making process, it devotes limited "
            "financial resources to migrant integration policies."
        ),
        source=(
            "MIPEX-R website prototype, as shown in “WP3 – Regional indicators on integration” (Carlota Cumella "
            "de Montserrat, CIDOB), REGIN External Network Encounter; REGIN project funded by the EU Asylum, "
            "Migration & Integration Fund"
        ),
    ),
}


def published_description(region_id: str | None) -> PublishedDescription | None:
    """The published description of a region, or None (only the Azores have one)."""
    return PUBLISHED.get(str(region_id or ""))
