"""Write title42_shares.csv: the Title 42 share of each group's single adults and families, month
by month, as observed (corridor/data/cbp/cbp_nationwide_encounters_by_state_fy20_fy23.csv).

Who was expelled changed with agreements the model does not otherwise know of: Mexico stopped
taking back most families in early 2021 and took Venezuelans from October 2022, CHNV nationals
from January 2023. The scenario uses the observed shares as its schedule of
``title42.expel_share`` (single adults) and ``title42.family_share`` (families). The first
month's shares start on the day expulsions began (21 Mar 2020); April 2023's last until Title 42
ended (11 May 2023). A month with fewer than MIN_ENCOUNTERS encounters of a group keeps the
previous share. Run from the repository root:

    python corridor/scenarios/us_mexico/make_title42_shares.py
"""

from pathlib import Path

import pandas as pd

from corridor.observed import CBP_STATE_FILE, title42_shares

MIN_ENCOUNTERS = 20
FIRST, LAST = pd.Timestamp("2020-04-01"), pd.Timestamp("2023-04-01")
STARTED = "2020-03-21"
LEVERS = {"single_adult": "title42.expel_share", "family": "title42.family_share"}
SOURCE = f"computed from corridor/data/{CBP_STATE_FILE} (monthly Title 42 share of the group's encounters)"


def schedule_rows() -> pd.DataFrame:
    rows = []
    for demographic, lever in LEVERS.items():
        shares, encounters = title42_shares(demographic)
        shares = shares.where(encounters >= MIN_ENCOUNTERS).loc[FIRST:LAST]
        for month, values in shares.iterrows():
            date = STARTED if month == FIRST else f"{month:%Y-%m-%d}"
            rows += [
                {"date": date, "lever": lever, "where": group, "value": round(share, 3), "source": SOURCE}
                for group, share in values.dropna().items()
            ]
    return pd.DataFrame(rows).sort_values(["date", "lever"], kind="stable")


if __name__ == "__main__":
    path = Path(__file__).with_name("title42_shares.csv")
    table = schedule_rows()
    table.to_csv(path, index=False)
    print(f"{path}: {len(table)} rows")
