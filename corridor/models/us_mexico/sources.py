"""Sources that levers in several phases cite, each written once.

A source names what a reader can look up: outlet, date and title of an article; agency, document
and date of a figure or rule; or a file inside this repository. A value that rests on no published
source says so ("hand-set prior; unverified") instead of citing one. The four articles below are
where the model's mechanisms were first drawn from (paraphrased, never quoted); what each one
supports is listed in corridor/scenarios/us_mexico/EVIDENCE.md.
"""

NYT_2024_MEXICO_ELECTIONS = (
    "The New York Times, late Feb/early Mar 2024, 'Who could influence the outcome of the "
    "US elections? The president of Mexico'"
)
CNN_2021_MEXICO_RELATIONSHIP = "CNN, early Oct 2021, 'Biden seeks to repair America's frayed relationship with Mexico'"
GLOBAL_RESEARCH_2021_HARRIS_AMLO = (
    "Global Research / InfoBrics opinion piece, 9 Jun 2021, 'Mexico: President AMLO "
    "Meets Vice President Kamala Harris' (low factual weight)"
)
LPO_2021_NARCO_ELECTIONS = (
    "La Politica Online (LPO), late Aug/early Sep 2021, 'Despite worries of narco-elections "
    "in Mexico, White House vows to do nothing, for now'"
)

REPEAT_CROSSING_RATES = (
    "repeat-crossing rate about 7% before Title 42 and about 27% in 2020-21: CBP figures in a "
    "secondary summary, unverified"
)
