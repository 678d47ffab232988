"""Seed content of the Integration Lab, written in our own words.

Two kinds of practice, always told apart on screen and in exports:

- **Source-based** (``illustrative=False``): the six partner regions' pilot actions and responsible
  bodies as the REGIN project pages describe them. Only what the source states is filled in; the
  rest is left empty and shown as "not documented in the sources available offline".
- **Illustrative** (``illustrative=True``): invented examples that show what a complete, assessed
  practice looks like. They are not documented practices of the regions they are attached to.

:func:`seed` is idempotent: each entry has a stable ``seed_key`` and is inserted only when missing
(a seeded practice a moderator later rejected is not re-added).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dashboard.lab import db, repository
from dashboard.lab.models import Practice

SOURCE_PILOTS = (
    "REGIN project website (CPMR), 'Integration Lab' page (Regionernas resurser › Integrationslabb), "
    "sections on the pilot actions and the pilot regions; restated in our own words. Years: the REGIN "
    "project period (Feb 2020 – Feb 2022), within which the pilot actions ran."
)
SOURCE_BODIES = (
    "REGIN project website (CPMR), 'Integration Lab' page, 'Pilot regions' section describing each "
    "partner region's responsible body; restated in our own words. Start year not stated in the source."
)
SOURCE_PROFILE = (
    " The TCN focus follows the MIPEX-R regional profile prototype of the Azores (REGIN WP3 slides, "
    "'REGIN External Network Encounter')."
)
ILLUSTRATIVE_PROVENANCE = (
    "Illustrative example written for the MIPEX-R Explorer demo. It is not a documented practice of "
    "this region and its body, dates and assessment are invented."
)


def _aspects(**texts: tuple[str, str]) -> dict[str, dict[str, str]]:
    return {key: {"inspiring": ins, "improvement": imp} for key, (ins, imp) in texts.items()}


SOURCE_BASED: list[dict[str, Any]] = [
    {
        "seed_key": "regin-pilot-skane-health-communication",
        "title": "Health communication for newcomers through peer groups and a one-stop advisory service",
        "region_id": "SE224",
        "year_start": 2020,
        "year_end": 2022,
        "policy_areas": ["health"],
        "target_group": "both",
        "responsible_body": "County Administrative Board of Skåne (Länsstyrelsen Skåne), through Partnership Skåne",
        "description": (
            "Skåne's REGIN pilot action. Unlike the other partner regions, whose pilot actions followed a "
            "dimension flagged by their MIPEX-R indicators, Skåne ran a dedicated innovative action on "
            "health communication: peer groups led by civic and health communicators, combined with a "
            "one-stop advisory service where newcomers can get advice in one place."
        ),
        "regional_contribution": (
            "The County Administrative Board carried the action within Partnership Skåne, its cooperation "
            "model with Region Skåne, the Public Employment Service, municipalities, universities and civil "
            "society organisations."
        ),
        "contribution_mode": "both",
        "aspects": _aspects(
            communication=(
                "Health information travels through peers: groups are led by civic and health communicators.",
                "",
            ),
            innovation=("The REGIN pages single it out as a special innovative action of the project.", ""),
            multistakeholder=(
                "Delivered within Partnership Skåne, which joins regional, state, municipal, academic and "
                "civil-society actors.",
                "",
            ),
        ),
        "provenance": SOURCE_PILOTS + " Target group not stated in the source (newly arrived migrants).",
    },
    {
        "seed_key": "regin-body-skane-partnership",
        "title": "Partnership Skåne: one regional model for receiving newly arrived migrants",
        "region_id": "SE224",
        "policy_areas": ["general"],
        "target_group": "both",
        "responsible_body": "County Administrative Board of Skåne (Länsstyrelsen Skåne)",
        "description": (
            "The County Administrative Board's mission is to build capacity and preparedness for receiving "
            "newly arrived migrants. It does this through Partnership Skåne, a model that brings together "
            "the County Administrative Board, Region Skåne, the Public Employment Service, the "
            "municipalities, universities and civil society organisations."
        ),
        "regional_contribution": (
            "The County Administrative Board convenes the partnership and steers its work on capacity and "
            "preparedness for reception."
        ),
        "contribution_mode": "both",
        "aspects": _aspects(
            multilevel_governance=(
                "State agencies, the region and the municipalities work inside one model.",
                "",
            ),
            multistakeholder=(
                "Universities and civil society organisations sit alongside the public bodies.",
                "",
            ),
        ),
        "provenance": SOURCE_BODIES,
    },
    {
        "seed_key": "regin-pilot-azores-migrant-guide",
        "title": "A migrant's guide to the Azores",
        "region_id": "PT20",
        "year_start": 2020,
        "year_end": 2022,
        "policy_areas": ["general"],
        "target_group": "TCN",
        "responsible_body": "Regional Directorate for Communities, Presidency of the Government of the Azores",
        "description": (
            "The Azores' REGIN pilot action produced a guide for migrants, gathering in one publication the "
            "information newcomers to the islands need."
        ),
        "regional_contribution": "The Regional Directorate for Communities produced the guide.",
        "contribution_mode": "direct",
        "aspects": _aspects(
            communication=("Information for newcomers brought together in a single guide.", ""),
        ),
        "provenance": SOURCE_PILOTS + SOURCE_PROFILE,
    },
    {
        "seed_key": "regin-body-azores-communities",
        "title": "Preserving cultural identity while integrating immigrant, emigrant and returning communities",
        "region_id": "PT20",
        "policy_areas": ["culture_religion", "general"],
        "target_group": "TCN",
        "responsible_body": "Regional Directorate for Communities, Presidency of the Government of the Azores",
        "description": (
            "The Regional Directorate for Communities works on two sides at once: preserving cultural "
            "identity, and integrating the immigrant communities as well as the Azorean emigrant and "
            "returning communities."
        ),
        "regional_contribution": "A directorate placed under the regional Presidency carries the policy.",
        "contribution_mode": "direct",
        "aspects": _aspects(
            inclusion=(
                "Immigrants, emigrants and returnees are addressed by the same body, under one approach.",
                "",
            ),
        ),
        "provenance": SOURCE_BODIES + SOURCE_PROFILE,
    },
    {
        "seed_key": "regin-pilot-campania-inland-villages",
        "title": "Monitoring a migrant-inclusion strategy for small inland villages",
        "region_id": "ITF3",
        "year_start": 2020,
        "year_end": 2022,
        "policy_areas": ["general"],
        "target_group": "both",
        "responsible_body": "General Directorate for Social and Welfare Policies, Campania Region",
        "description": (
            "Campania's REGIN pilot action monitored a strategy for the inclusion of migrants in small "
            "villages of the region's inland areas."
        ),
        "regional_contribution": "The General Directorate for Social and Welfare Policies ran the monitoring.",
        "contribution_mode": "direct",
        "aspects": _aspects(
            monitoring_evaluation=(
                "The pilot is itself a monitoring exercise: it follows how an inclusion strategy works in practice.",
                "",
            ),
        ),
        "provenance": SOURCE_PILOTS + " Target group not stated in the source.",
    },
    {
        "seed_key": "regin-body-campania-labour",
        "title": "Labour-market integration of non-EU migrants in Campania",
        "region_id": "ITF3",
        "policy_areas": ["labour_market"],
        "target_group": "TCN",
        "responsible_body": "General Directorate for Social and Welfare Policies, Campania Region",
        "description": (
            "Migrant integration in Campania is managed by the General Directorate for Social and Welfare "
            "Policies, which concentrates on policies that help non-EU immigrants into the labour market."
        ),
        "regional_contribution": "The Directorate designs and manages the region's integration policies.",
        "contribution_mode": "direct",
        "aspects": _aspects(),
        "provenance": SOURCE_BODIES,
    },
    {
        "seed_key": "regin-body-catalonia-secretariat",
        "title": "Migration management through the Secretariat for Equality, Migration and Citizenship",
        "region_id": "ES51",
        "policy_areas": ["general"],
        "target_group": "both",
        "responsible_body": (
            "Department of Labour, Social Affairs and Families, Government of Catalonia — Secretariat for "
            "Equality, Migration and Citizenship"
        ),
        "description": (
            "In the Catalan Government, the Department of Labour, Social Affairs and Families is responsible "
            "for migration management, which it carries out through its Secretariat for Equality, Migration "
            "and Citizenship."
        ),
        "regional_contribution": "A dedicated secretariat within a regional department holds the mandate.",
        "contribution_mode": "direct",
        "aspects": _aspects(),
        "provenance": SOURCE_BODIES + " Target group not stated in the source.",
    },
    {
        "seed_key": "regin-body-murcia-social-services",
        "title": "Promotion and integration of immigrants in the Region of Murcia",
        "region_id": "ES62",
        "policy_areas": ["social_security", "general"],
        "target_group": "both",
        "responsible_body": (
            "Directorate General for Social Services and Relations with the Third Sector, Regional Ministry "
            "of Women, Equality, Family and Social Policy"
        ),
        "description": (
            "The Directorate General for Social Services and Relations with the Third Sector, part of the "
            "Regional Ministry of Women, Equality, Family and Social Policy, develops the Region of Murcia's "
            "policies for the promotion and integration of immigrants."
        ),
        "regional_contribution": "The Directorate General develops the region's integration policies.",
        "contribution_mode": "direct",
        "aspects": _aspects(),
        "provenance": SOURCE_BODIES + " Target group not stated in the source.",
    },
    {
        "seed_key": "regin-body-puglia-three-year-plans",
        "title": "Three-year regional plans for migration policies",
        "region_id": "ITF4",
        "policy_areas": ["general", "health", "social_security", "education"],
        "target_group": "both",
        "responsible_body": (
            "Division for Citizen Security, Migration and Social Anti-mafia Policies, Regional Presidency of Puglia"
        ),
        "description": (
            "The Division for Citizen Security, Migration and Social Anti-mafia Policies, in the Regional "
            "Presidency, draws up Puglia's three-year plans for migration policies. It oversees and "
            "coordinates the region's work on reception, social and health care, integration and training "
            "for migrant populations."
        ),
        "regional_contribution": "The Division plans, oversees and coordinates the regional activities.",
        "contribution_mode": "direct",
        "aspects": _aspects(
            sustainability=("Policy is planned in three-year cycles rather than project by project.", ""),
        ),
        "provenance": SOURCE_BODIES,
    },
]

ILLUSTRATIVE: list[dict[str, Any]] = [
    {
        "seed_key": "illustrative-at13-language-childcare",
        "title": "Language courses with childcare for parents new to the region",
        "region_id": "AT13",
        "year_start": 2019,
        "year_end": None,
        "policy_areas": ["language", "education"],
        "target_group": "both",
        "responsible_body": "Regional integration department (illustrative)",
        "description": (
            "German courses for parents of young children, held at neighbourhood centres with free childcare "
            "in the next room, so that caring for children is no longer a reason to drop out."
        ),
        "regional_contribution": "The region funds the courses and childcare; NGOs run the centres.",
        "contribution_mode": "both",
        "lessons_learnt": "Attendance of mothers rose once childcare sat in the same building as the course.",
        "transferability_tips": "Start with centres parents already visit; recruit childcare staff early.",
        "aspects": _aspects(
            communication=("Courses announced through kindergartens and paediatricians.", "No material in learners' languages."),
            inclusion=("Removes a barrier that mostly affects women.", "Fathers rarely take part."),
            innovation=("Combines two services that are usually run apart.", ""),
            multilevel_governance=("Municipal centres host a regionally funded course.", "Funding renewed yearly."),
            multistakeholder=("NGOs, kindergartens and the region plan together.", ""),
            monitoring_evaluation=("Attendance and course completion tracked.", "No follow-up of language use."),
            sustainability=("Now part of the regular budget line.", "Depends on scarce childcare staff."),
        ),
    },
    {
        "seed_key": "illustrative-de30-antidiscrimination-network",
        "title": "Network of anti-discrimination counselling points",
        "region_id": "DE30",
        "year_start": 2017,
        "year_end": None,
        "policy_areas": ["antidiscrimination"],
        "target_group": "both",
        "responsible_body": "Regional office for equal treatment (illustrative)",
        "description": (
            "Independent counselling points across the city advise people who experience discrimination in "
            "housing, work or public services and can accompany them to mediation or court."
        ),
        "regional_contribution": "The region finances the network and trains its counsellors.",
        "contribution_mode": "social_actors",
        "lessons_learnt": "Cases reach counselling only when points are known in communities.",
        "transferability_tips": "Fund community organisations that already have trust rather than new offices.",
        "aspects": _aspects(
            communication=("Multilingual outreach in community media.", "Little presence online."),
            inclusion=("Open to everyone regardless of status.", ""),
            multistakeholder=("Run by community organisations under a common standard.", ""),
            monitoring_evaluation=("Annual anonymised case report.", "Outcomes of cases are not followed."),
            sustainability=("Multi-year funding agreements.", ""),
        ),
    },
    {
        "seed_key": "illustrative-ith5-housing-mediation",
        "title": "Housing mediation agency for migrant tenants",
        "region_id": "ITH5",
        "year_start": 2018,
        "year_end": 2023,
        "policy_areas": ["housing"],
        "target_group": "both",
        "responsible_body": "Regional welfare department (illustrative)",
        "description": (
            "A mediation agency matches private landlords with migrant tenants, offers a rent guarantee fund "
            "and follows the tenancy during its first year."
        ),
        "regional_contribution": "The region set up the guarantee fund; social cooperatives run the agency.",
        "contribution_mode": "both",
        "lessons_learnt": "Landlords valued the contact person more than the guarantee itself.",
        "transferability_tips": "Agree with landlords' associations before launching the fund.",
        "aspects": _aspects(
            communication=("Clear one-page offer for landlords.", ""),
            inclusion=("Reaches households excluded from social housing lists.", "Large families hard to place."),
            innovation=("Guarantee fund shared by several municipalities.", ""),
            multilevel_governance=("Region and municipalities co-finance the fund.", "Unequal take-up between municipalities."),
            multistakeholder=("Landlords' associations sit on the steering group.", ""),
            monitoring_evaluation=("Tenancies tracked for 12 months.", "No comparison group."),
            sustainability=("", "Ended with the funding period in 2023."),
        ),
    },
    {
        "seed_key": "illustrative-es21-qualification-recognition",
        "title": "Guidance service for the recognition of foreign qualifications",
        "region_id": "ES21",
        "year_start": 2020,
        "year_end": None,
        "policy_areas": ["labour_market", "education"],
        "target_group": "TCN",
        "responsible_body": "Regional employment service (illustrative)",
        "description": (
            "Advisers help people with qualifications obtained abroad to prepare recognition files, cover the "
            "fees for those on low incomes and offer bridging courses."
        ),
        "regional_contribution": "The regional employment service runs the advice and pays the fees.",
        "contribution_mode": "direct",
        "lessons_learnt": "Most time goes into translating and certifying documents.",
        "transferability_tips": "Negotiate a fast lane with the national recognition authority.",
        "aspects": _aspects(
            inclusion=("Fee waiver for low incomes.", ""),
            multilevel_governance=("Agreement with the national authority on processing times.", "Processing still slow."),
            monitoring_evaluation=("Share of files approved is published.", "Employment after recognition is not tracked."),
            sustainability=("Part of the regional employment plan.", ""),
        ),
    },
    {
        "seed_key": "illustrative-se232-health-interpreters",
        "title": "Trained health interpreters on call for primary care",
        "region_id": "SE232",
        "year_start": 2016,
        "year_end": None,
        "policy_areas": ["health", "language"],
        "target_group": "both",
        "responsible_body": "Regional health-care administration (illustrative)",
        "description": (
            "Primary-care centres can book trained health interpreters by phone or video within the hour, "
            "free for the patient."
        ),
        "regional_contribution": "The region employs and trains the interpreters directly.",
        "contribution_mode": "direct",
        "lessons_learnt": "Video interpreting cut waiting times most in rural centres.",
        "transferability_tips": "Train clinicians to work with interpreters, not only the interpreters.",
        "aspects": _aspects(
            communication=("Patients are told about the service at booking.", ""),
            inclusion=("Free of charge for all patients.", "Rare languages often unavailable."),
            innovation=("Video interpreting on demand.", ""),
            monitoring_evaluation=("Waiting times and patient ratings collected.", ""),
            sustainability=("Financed from the regular health budget.", ""),
        ),
    },
    {
        "seed_key": "illustrative-pt17-one-stop-shop",
        "title": "One-stop shop for newcomers' administrative procedures",
        "region_id": "PT17",
        "year_start": 2015,
        "year_end": None,
        "policy_areas": ["general", "social_security"],
        "target_group": "both",
        "responsible_body": "Metropolitan integration office (illustrative)",
        "description": (
            "Residence, tax, health and social-security registrations handled at one desk, with cultural "
            "mediators present in the main languages of newcomers."
        ),
        "regional_contribution": "The metropolitan authority hosts the shop and employs the mediators.",
        "contribution_mode": "both",
        "lessons_learnt": "Mediators from the communities themselves made the desk trusted.",
        "transferability_tips": "Secure data-sharing agreements between agencies first.",
        "aspects": _aspects(
            communication=("Mediators speak newcomers' languages.", "Opening hours suit few workers."),
            inclusion=("Serves all newcomers regardless of status.", ""),
            multilevel_governance=("National agencies staff desks in a regional building.", ""),
            multistakeholder=("Community associations recruit mediators.", ""),
            monitoring_evaluation=("", "Only visitor numbers are counted."),
            sustainability=("Running for several years.", ""),
        ),
    },
    {
        "seed_key": "illustrative-es52-school-mentoring",
        "title": "Peer mentoring for newly arrived pupils",
        "region_id": "ES52",
        "year_start": 2021,
        "year_end": None,
        "policy_areas": ["education"],
        "target_group": "both",
        "responsible_body": "Regional education department (illustrative)",
        "description": (
            "Older pupils with a migrant background are trained as mentors and paired with newly arrived "
            "pupils during their first school year."
        ),
        "regional_contribution": "The region trains mentors and gives schools extra teacher hours.",
        "contribution_mode": "direct",
        "lessons_learnt": "Mentors' own confidence grew as much as the mentees'.",
        "transferability_tips": "Recognise mentoring in the mentors' school record.",
        "aspects": _aspects(
            inclusion=("Gives migrant-background pupils a visible role.", ""),
            innovation=("Peers rather than staff as first contact.", ""),
            monitoring_evaluation=("", "No data on school results yet."),
        ),
    },
    {
        "seed_key": "illustrative-ith2-monitoring-dashboard",
        "title": "Annual integration monitoring report with municipalities",
        "region_id": "ITH2",
        "year_start": 2019,
        "year_end": None,
        "policy_areas": ["general"],
        "target_group": "both",
        "responsible_body": "Provincial statistics and social-policy offices (illustrative)",
        "description": (
            "A yearly report combines regional statistics with municipal service data and is discussed with "
            "municipalities and NGOs before publication."
        ),
        "regional_contribution": "The province compiles the data and chairs the discussion.",
        "contribution_mode": "both",
        "lessons_learnt": "Discussing the draft changed which indicators municipalities collected.",
        "transferability_tips": "Keep the indicator list short and stable across years.",
        "aspects": _aspects(
            communication=("Short summary in plain language.", ""),
            multilevel_governance=("Municipal data feed the regional report.", ""),
            multistakeholder=("NGOs comment on the draft.", ""),
            monitoring_evaluation=("Stable indicators over time.", "Few outcome indicators by gender."),
            sustainability=("Written into the provincial integration plan.", ""),
        ),
    },
]


def seed_entries() -> list[dict[str, Any]]:
    """All seed practices as values for :func:`repository.create_practice` (status approved)."""
    out = []
    for entry in SOURCE_BASED:
        out.append(
            {
                "lessons_learnt": "",
                "transferability_tips": "",
                **entry,
                "illustrative": False,
                "status": "approved",
                "language": "en",
            }
        )
    for entry in ILLUSTRATIVE:
        out.append({**entry, "provenance": ILLUSTRATIVE_PROVENANCE, "illustrative": True, "status": "approved",
                    "language": "en"})
    return out


def seed(url: str | None = None) -> int:
    """Insert the seed practices that are missing; return how many were added (0 when already seeded)."""
    with db.session_scope(url) as s:
        present = set(s.scalars(select(Practice.seed_key).where(Practice.seed_key.is_not(None))).all())
    added = 0
    for entry in seed_entries():
        if entry["seed_key"] in present:
            continue
        try:
            repository.create_practice(entry, url=url)
            added += 1
        except IntegrityError:  # a concurrent seeder inserted the same key first: fine
            continue
    return added
