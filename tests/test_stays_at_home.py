"""How long returned people stay home: a daily chance of setting off again is a geometric waiting time, drawn once
when a stay begins (phases/home.py); what the run shows must be the daily process itself, also when the chance
changes in the middle of a stay."""

from __future__ import annotations

import numpy as np
from tiny_world import tiny_world

from corridor.models.us_mexico.phases.home import Fate
from corridor.models.us_mexico.world import Status
from corridor.runner import assemble

RATE, MAX_DAYS, DAYS = 0.05, 20, 150
# people who reach the border city mostly give up and go home, from one day to the next
GO_HOME = {"border.give_up_rate": 0.5, "return.max_days_home": MAX_DAYS}
SETS_OFF, COUNTED_OUT, STILL_HOME = 1, 0, -1


def stays_at_home(folder) -> np.ndarray:
    """Every stay at home of a run, as seen from outside the home phase, one row each: its first day at home, the
    days it carried over from the status before (they count towards the maximum), its last day at home and how it
    ended (SETS_OFF, COUNTED_OUT or STILL_HOME at the end of the run)."""
    assembled = assemble(folder)
    sim = assembled.run.sim
    begun: dict[int, tuple[int, int]] = {}  # at home: id -> (first day, days carried over)
    rows: list[tuple[int, int, int, int]] = []
    went_home: dict[int, int] = {}  # went home after the home phase: id -> days carried over

    def watch(day: int) -> None:
        road, pool = sim.state, sim.at_home
        home = road.status == Status.HOME
        drawn = home & (road.home_fate != Fate.UNDRAWN)
        begun.update((i, (day, days)) for i, days in went_home.items())
        still = set(pool.id.tolist()) | set(road.id[drawn].tolist())
        status = dict(zip(road.id.tolist(), road.status.tolist(), strict=True))
        for i in [i for i in begun if i not in still]:
            first, days = begun.pop(i)
            rows.append((first, days, day, SETS_OFF if status.get(i, Status.GONE) != Status.GONE else COUNTED_OUT))
        went_home.clear()
        went_home.update(zip(road.id[home & ~drawn].tolist(), road.days[home & ~drawn].tolist(), strict=True))

    assembled.simulate(watch)
    rows.extend((first, days, DAYS - 1, STILL_HOME) for first, days in begun.values())
    return np.array(rows)


def daily_chance(stays: np.ndarray, days: tuple[int, int] = (0, DAYS), begun_before: int = DAYS) -> float:
    """Set-offs per day spent at home on ``days`` (from, to), by the stays begun before ``begun_before``."""
    first, _, last, how = stays.T
    counted = (first < begun_before) & (first < days[1]) & (last >= days[0])
    days_at_home = np.minimum(last[counted], days[1] - 1) - np.maximum(first[counted], days[0]) + 1
    set_off = (how[counted] == SETS_OFF) & (last[counted] < days[1])
    return set_off.sum() / days_at_home.sum()


def test_stays_at_home_are_geometric_and_end_after_the_maximum(tmp_path):
    parameters = {**GO_HOME, "return.redeparture_rate": RATE}
    stays = stays_at_home(tiny_world(tmp_path / "tiny", days=DAYS, parameters=parameters))
    first, carried, last, how = stays.T
    assert len(stays) > 20_000
    # the mean wait (days at home per set-off, stays still going at the end counted) is 1 / RATE = 20 days
    assert abs(1 / daily_chance(stays) - 1 / RATE) < 1.0
    # a stay that began with no days carried over and had time to end: counted out after MAX_DAYS + 1 failed draws
    whole = (carried == 0) & (first + MAX_DAYS + 1 < DAYS)
    assert whole.sum() > 10_000
    assert abs(np.mean(how[whole] == COUNTED_OUT) - (1 - RATE) ** (MAX_DAYS + 1)) < 0.03  # 0.34
    # on the day its days at home, counted on from the status before, pass the maximum (a few who set off and died
    # or settled on their first day look counted out)
    out = how == COUNTED_OUT
    assert np.mean(last[out] - first[out] + 1 == np.maximum(1, MAX_DAYS + 1 - carried[out])) > 0.99


def test_a_new_chance_of_setting_off_holds_from_its_day_also_for_those_already_home(tmp_path):
    """The stays drawn before the change are drawn again with the new chance on its day (day 75)."""
    change = {"date": "2022-03-17", "lever": "return.redeparture_rate", "action": "set", "value": 4 * RATE}
    parameters = {**GO_HOME, "return.redeparture_rate": RATE}
    events = [{**change, "source": "test"}]
    stays = stays_at_home(tiny_world(tmp_path / "tiny", days=DAYS, parameters=parameters, events=events))
    before = daily_chance(stays, days=(0, 75))
    after = daily_chance(stays, days=(75, DAYS), begun_before=75)
    assert abs(before - RATE) < 0.1 * RATE
    assert abs(after - 4 * RATE) < 0.1 * 4 * RATE


def test_a_shorter_maximum_counts_out_from_its_day_those_already_home_longer(tmp_path):
    """Lowered from 60 to 10 days on day 75, the maximum counts out that day everyone at home for more than 10
    days who does not set off, and nobody stays longer after it; before it, stays ran past 10 days."""
    change = {"date": "2022-03-17", "lever": "return.max_days_home", "action": "set", "value": 10, "source": "test"}
    parameters = {**GO_HOME, "return.redeparture_rate": RATE, "return.max_days_home": 60}
    stays = stays_at_home(tiny_world(tmp_path / "tiny", days=DAYS, parameters=parameters, events=[change]))
    first, carried, last, how = stays.T
    days_at_home = last - first + 1 + carried
    assert np.sum((last < 75) & (days_at_home > 11)) > 1000
    long_on_the_day = (first + carried <= 75 - 11) & (last >= 75)
    assert long_on_the_day.sum() > 1000
    assert np.all(last[long_on_the_day] == 75)
    assert abs(np.mean(how[long_on_the_day] == COUNTED_OUT) - (1 - RATE)) < 0.03
