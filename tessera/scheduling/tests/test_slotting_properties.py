"""Property tests of slotting over many time zones and daylight-saving transitions.

They check the contracts the booking path relies on, for any zone, hours, bookings and rules:
what `free_slots` offers, `check_booking` accepts; a slot never breaks capacity; booking a slot
takes exactly one place; weekly hours are honoured in local wall time on both sides of a change.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.scheduling.domain.localtime import local_to_utc
from tessera.scheduling.domain.slotting import (
    ResourceTimes,
    Rules,
    WeeklyRange,
    check_booking,
    free_slots,
)

ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
# Zones with daylight saving on both hemispheres, and odd offsets, drawn more often.
DST_ZONES = [
    "Europe/Berlin",
    "Europe/Lisbon",
    "America/New_York",
    "America/Santiago",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a 30-minute change
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Havana",  # changes at midnight
    "Asia/Tehran",
]
NOW = datetime(2026, 12, 1, tzinfo=UTC)

zones = st.one_of(st.sampled_from(DST_ZONES), st.sampled_from(ZONES)).map(ZoneInfo)
# Around the usual change months, to cross transitions often.
days = st.builds(
    date,
    st.just(2027),
    st.sampled_from([1, 3, 4, 9, 10, 11]),
    st.integers(min_value=1, max_value=28),
)
quarter_hours = st.integers(min_value=0, max_value=95).map(lambda q: time(q // 4, q % 4 * 15))


@st.composite
def weekly_hours(draw: st.DrawFn) -> list[WeeklyRange]:
    ranges = draw(st.lists(st.tuples(st.integers(0, 6), quarter_hours, quarter_hours), max_size=10))
    return [WeeklyRange(day, start, end) for day, start, end in ranges if start != end]


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    tz = draw(zones)
    first = draw(days)
    start = local_to_utc(datetime.combine(first, time(0)), tz)
    end = start + timedelta(days=draw(st.integers(1, 4)))
    capacity = draw(st.integers(1, 4))
    busy = []
    for offset, length in draw(
        st.lists(st.tuples(st.integers(0, 4 * 24 * 4), st.integers(1, 16)), max_size=12)
    ):
        begin = start + timedelta(minutes=15 * offset)
        busy.append((begin, begin + timedelta(minutes=15 * length)))
    rules = Rules(
        capacity=capacity,
        buffer_before=draw(st.sampled_from([0, 5, 15])),
        buffer_after=draw(st.sampled_from([0, 10, 30])),
        min_notice=draw(st.sampled_from([0, 60])),
        max_advance=draw(st.sampled_from([None, 400])),
    )
    times = ResourceTimes(1, tz, rules, weekly=draw(weekly_hours()), busy=busy)
    duration = timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90])))
    step = timedelta(minutes=draw(st.sampled_from([15, 30, 60])))
    return {"times": times, "start": start, "end": end, "duration": duration, "step": step}


def offered(s: dict) -> list:
    return list(
        free_slots(
            [s["times"]],
            start=s["start"],
            end=s["end"],
            duration=s["duration"],
            step=s["step"],
            now=NOW,
        )
    )


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(tz=zones, day=days, minute=st.integers(0, 24 * 60 - 2), gap=st.integers(1, 600))
def test_local_to_utc_never_goes_back_in_time(tz, day, minute, gap):
    early = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    late = early + timedelta(minutes=gap)
    assert local_to_utc(early, tz) <= local_to_utc(late, tz)


@FAST
@given(tz=zones, day=days, minute=st.integers(0, 24 * 60 - 1))
def test_a_wall_time_that_exists_round_trips(tz, day, minute):
    local = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    moment = local_to_utc(local, tz)
    back = moment.astimezone(tz).replace(tzinfo=None)
    assert back == local or back > local  # equal, or the time was in a gap and moved forward


@FAST
@given(scenarios())
def test_every_offered_slot_can_be_booked_and_respects_capacity(s):
    found = offered(s)
    starts = [slot.start for slot in found]
    assert starts == sorted(starts)
    for slot in found:
        assert s["start"] <= slot.start < s["end"]
        assert slot.end - slot.start == s["duration"]
        assert 1 <= slot.places_left <= s["times"].rules.capacity
        assert check_booking([s["times"]], start=slot.start, end=slot.end, now=NOW) is None


@FAST
@given(scenarios(), st.data())
def test_booking_a_slot_takes_exactly_one_place(s, data):
    found = offered(s)
    if not found:
        return
    slot = data.draw(st.sampled_from(found))
    rules = s["times"].rules
    occupied = (
        slot.start - timedelta(minutes=rules.buffer_before),
        slot.end + timedelta(minutes=rules.buffer_after),
    )
    after = {
        **s,
        "times": ResourceTimes(
            1, s["times"].tz, rules, weekly=s["times"].weekly, busy=[*s["times"].busy, occupied]
        ),
    }
    again = {x.start: x.places_left for x in offered(after)}
    assert again.get(slot.start, 0) == slot.places_left - 1
    refusal = check_booking([after["times"]], start=slot.start, end=slot.end, now=NOW)
    assert (refusal is None) == (slot.places_left > 1)


@FAST
@given(tz=zones, day=days, hour=st.integers(0, 20))
def test_weekly_hours_hold_in_local_time_across_any_change(tz, day, hour):
    opening = time(hour)
    every_day = [WeeklyRange(d, opening, time(hour + 3)) for d in range(7)]
    times = ResourceTimes(1, tz, Rules(), weekly=every_day)
    start = local_to_utc(datetime.combine(day, time(0)), tz)
    found = list(
        free_slots(
            [times],
            start=start,
            end=start + timedelta(days=3),
            duration=timedelta(hours=1),
            step=timedelta(hours=1),
            now=NOW,
        )
    )
    close = time(hour + 3)
    for slot in found:
        local_start, local_end = slot.start.astimezone(tz), slot.end.astimezone(tz)
        # Whatever the clocks do that day, a slot lies inside the local range it came from.
        assert opening <= local_start.time() < close
        assert local_end.date() == local_start.date()
        assert local_end.time() <= close
    on_time = {
        s.start.astimezone(tz).date() for s in found if s.start.astimezone(tz).time() == opening
    }
    assert len(on_time) >= 2  # a change touches at most one of the three days
