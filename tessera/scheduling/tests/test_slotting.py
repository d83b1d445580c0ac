"""The pure slot computation: open time, buffers, capacity, notice, advance, DST, gigs."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tessera.scheduling.domain import intervals as iv
from tessera.scheduling.domain.localtime import local_to_utc
from tessera.scheduling.domain.slotting import (
    LocalSpan,
    ResourceTimes,
    Rules,
    WeeklyRange,
    check_booking,
    free_slots,
    open_intervals,
)

LISBON = ZoneInfo("Europe/Lisbon")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)  # a Monday
M = timedelta(minutes=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def every_day(*ranges: tuple[time, time]) -> list[WeeklyRange]:
    return [WeeklyRange(day, start, end) for day in range(7) for start, end in ranges]


def times(**kwargs) -> ResourceTimes:
    kwargs.setdefault("resource_id", 1)
    kwargs.setdefault("tz", LISBON)
    kwargs.setdefault("rules", Rules())
    kwargs.setdefault("weekly", every_day((time(9), time(12)), (time(13), time(17))))
    return ResourceTimes(**kwargs)


def slots(resources, start, end, minutes=60, step=None, now=NOW):
    return list(
        free_slots(
            resources if isinstance(resources, list) else [resources],
            start=start,
            end=end,
            duration=timedelta(minutes=minutes),
            step=timedelta(minutes=step or minutes),
            now=now,
        )
    )


class TestIntervals:
    def test_merge_joins_touching_and_overlapping_and_drops_empty(self):
        assert iv.merge([(5, 9), (1, 3), (3, 4), (8, 12), (20, 20)]) == [(1, 4), (5, 12)]

    def test_subtract_cuts_holes_and_edges(self):
        assert iv.subtract([(0, 10), (20, 30)], [(2, 4), (8, 22), (29, 40)]) == [
            (0, 2),
            (4, 8),
            (22, 29),
        ]

    def test_intersect(self):
        assert iv.intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]

    @pytest.mark.parametrize(
        ("start", "end", "inside"),
        [(0, 10, True), (2, 3, True), (9, 11, False), (10, 12, False), (19, 21, False)],
    )
    def test_covers(self, start, end, inside):
        assert iv.covers([(0, 10), (10, 10), (20, 30)], start, end) is inside

    def test_occupancy_peak_counts_overlaps_not_touches(self):
        occupancy = iv.Occupancy([(0, 10, 1), (5, 15, 1), (10, 20, 1)])
        assert occupancy.peak(0, 5) == 1
        assert occupancy.peak(4, 6) == 2
        assert occupancy.peak(10, 12) == 2
        assert occupancy.peak(20, 30) == 0
        assert occupancy.peak(-5, 0) == 0


class TestLocalTime:
    def test_a_normal_time(self):
        assert local_to_utc(datetime(2027, 1, 4, 9, 0), LISBON) == utc(2027, 1, 4, 9)
        assert local_to_utc(datetime(2027, 7, 5, 9, 0), LISBON) == utc(2027, 7, 5, 8)

    def test_a_time_in_the_spring_gap_is_the_moment_the_clocks_jump(self):
        jump = utc(2027, 3, 28, 1)  # Berlin: 02:00 CET -> 03:00 CEST
        assert local_to_utc(datetime(2027, 3, 28, 2, 30), BERLIN) == jump
        assert local_to_utc(datetime(2027, 3, 28, 2, 0), BERLIN) == jump
        assert local_to_utc(datetime(2027, 3, 28, 3, 0), BERLIN) == jump

    def test_the_repeated_autumn_hour_is_its_first_occurrence(self):
        assert local_to_utc(datetime(2027, 10, 31, 2, 30), BERLIN) == utc(2027, 10, 31, 0, 30)


class TestOpenTime:
    def test_weekly_hours_with_a_lunch_break(self):
        result = open_intervals(times(), utc(2027, 3, 1, 0), utc(2027, 3, 2, 0))
        monday = [(s, e) for s, e in result if s >= utc(2027, 3, 1).timestamp()]
        assert monday[:2] == [
            (int(utc(2027, 3, 1, 9).timestamp()), int(utc(2027, 3, 1, 12).timestamp())),
            (int(utc(2027, 3, 1, 13).timestamp()), int(utc(2027, 3, 1, 17).timestamp())),
        ]

    def test_a_range_past_midnight_ends_the_next_day(self):
        venue = times(weekly=[WeeklyRange(4, time(18), time(2))])  # Friday 18:00-02:00
        found = slots(venue, utc(2027, 3, 5), utc(2027, 3, 7), minutes=480)
        assert [(s.start, s.end) for s in found] == [(utc(2027, 3, 5, 18), utc(2027, 3, 6, 2))]

    def test_closures_win_over_hours_and_openings(self):
        resource = times(
            closures=[LocalSpan(datetime(2027, 3, 2, 0, 0), datetime(2027, 3, 3, 0, 0))],
            openings=[LocalSpan(datetime(2027, 3, 2, 18, 0), datetime(2027, 3, 2, 20, 0))],
        )
        assert slots(resource, utc(2027, 3, 2), utc(2027, 3, 3)) == []

    def test_extra_opening_adds_time(self):
        resource = times(
            weekly=[], openings=[LocalSpan(datetime(2027, 3, 6, 10, 0), datetime(2027, 3, 6, 12))]
        )
        found = slots(resource, utc(2027, 3, 1), utc(2027, 3, 8))
        assert [s.start for s in found] == [utc(2027, 3, 6, 10), utc(2027, 3, 6, 11)]


class TestSlots:
    def test_busy_time_and_buffers_remove_slots(self):
        resource = times(
            rules=Rules(buffer_after=15), busy=[(utc(2027, 3, 1, 10), utc(2027, 3, 1, 10, 45))]
        )
        found = slots(resource, utc(2027, 3, 1), utc(2027, 3, 1, 12))
        # 9:00 slot occupies until 10:15 (buffer) and collides with the booking at 10:00.
        assert [s.start for s in found] == [utc(2027, 3, 1, 11)]

    def test_places_left_follow_capacity(self):
        resource = times(
            rules=Rules(capacity=4),
            busy=[(utc(2027, 3, 1, 9), utc(2027, 3, 1, 10))] * 3,
        )
        found = {s.start: s.places_left for s in slots(resource, utc(2027, 3, 1), utc(2027, 3, 2))}
        assert found[utc(2027, 3, 1, 9)] == 1
        assert found[utc(2027, 3, 1, 10)] == 4

    def test_a_full_slot_is_not_offered(self):
        resource = times(
            rules=Rules(capacity=2), busy=[(utc(2027, 3, 1, 9), utc(2027, 3, 1, 10))] * 2
        )
        found = [s.start for s in slots(resource, utc(2027, 3, 1, 9), utc(2027, 3, 1, 10, 30))]
        assert found == [utc(2027, 3, 1, 10)]

    def test_notice_and_advance_bound_the_start(self):
        resource = times(rules=Rules(min_notice=120, max_advance=1))
        now = utc(2027, 3, 1, 9, 30)
        found = [s.start for s in slots(resource, utc(2027, 3, 1), utc(2027, 3, 5), now=now)]
        # 11:30 is the earliest start; the next grid start that fits before lunch would be
        # 12:00 (too late to end by 12:00), so the first slot is 13:00.
        assert found[0] == utc(2027, 3, 1, 13)
        assert max(found) <= now + timedelta(days=1)
        assert found[-1] == utc(2027, 3, 2, 9)

    def test_slots_start_on_the_grid_from_the_opening_even_when_the_window_starts_later(self):
        found = slots(times(), utc(2027, 3, 1, 9, 10), utc(2027, 3, 1, 11), minutes=30)
        assert [s.start for s in found] == [
            utc(2027, 3, 1, 9, 30),
            utc(2027, 3, 1, 10),
            utc(2027, 3, 1, 10, 30),
        ]

    def test_nine_o_clock_stays_nine_o_clock_local_across_dst(self):
        berlin = times(tz=BERLIN, weekly=[WeeklyRange(0, time(9), time(10))])
        found = slots(berlin, utc(2027, 3, 20), utc(2027, 4, 6))
        assert [s.start.astimezone(BERLIN).hour for s in found] == [9, 9, 9]
        assert [s.start for s in found] == [
            utc(2027, 3, 22, 8),
            utc(2027, 3, 29, 7),
            utc(2027, 4, 5, 7),
        ]

    def test_several_resources_share_only_common_free_time(self):
        musician = times(resource_id=1, weekly=every_day((time(18), time(23))))
        venue = times(
            resource_id=2,
            weekly=every_day((time(20), time(2))),
            busy=[(utc(2027, 3, 1, 20), utc(2027, 3, 1, 21))],
        )
        found = slots([musician, venue], utc(2027, 3, 1), utc(2027, 3, 2))
        assert [s.start for s in found] == [utc(2027, 3, 1, 21), utc(2027, 3, 1, 22)]


class TestCheckBooking:
    def check(self, resource, start, end, now=NOW, enforce=True):
        refusal = check_booking(
            resource if isinstance(resource, list) else [resource],
            start=start,
            end=end,
            now=now,
            enforce_notice=enforce,
        )
        return refusal.code if refusal else None

    def test_a_free_open_time_is_accepted(self):
        assert self.check(times(), utc(2027, 3, 1, 9), utc(2027, 3, 1, 10)) is None

    @pytest.mark.parametrize(
        ("start", "end", "code"),
        [
            ((2027, 3, 1, 8), (2027, 3, 1, 9), "outside_availability"),
            ((2027, 3, 1, 11), (2027, 3, 1, 14), "outside_availability"),  # spans lunch
            ((2027, 3, 1, 10), (2027, 3, 1, 11), "slot_unavailable"),
            ((2027, 3, 1, 10, 55), (2027, 3, 1, 11, 55), "slot_unavailable"),  # buffer before
            ((2027, 3, 1, 11, 0), (2027, 3, 1, 11, 55), None),
        ],
    )
    def test_refusals(self, start, end, code):
        # The busy range is an occupied range: an earlier booking's buffers are in it already.
        resource = times(
            rules=Rules(buffer_before=10), busy=[(utc(2027, 3, 1, 10), utc(2027, 3, 1, 10, 50))]
        )
        assert self.check(resource, utc(*start), utc(*end)) == code

    def test_notice_advance_and_the_past(self):
        resource = times(rules=Rules(min_notice=60, max_advance=30))
        now = utc(2027, 3, 1, 9, 30)
        assert self.check(resource, utc(2027, 3, 1, 9), utc(2027, 3, 1, 10), now) == "too_late"
        assert self.check(resource, utc(2027, 3, 1, 10), utc(2027, 3, 1, 11), now) == "too_late"
        assert self.check(resource, utc(2027, 3, 1, 11), utc(2027, 3, 1, 12), now) is None
        far = (utc(2027, 4, 1, 9), utc(2027, 4, 1, 10))
        assert self.check(resource, *far, now) == "too_far_ahead"
        assert self.check(resource, *far, now, enforce=False) is None

    def test_a_gig_is_refused_when_one_participant_is_busy(self):
        free = times(resource_id=1)
        busy = times(resource_id=2, busy=[(utc(2027, 3, 1, 9), utc(2027, 3, 1, 10))])
        refusal = check_booking(
            [free, busy], start=utc(2027, 3, 1, 9), end=utc(2027, 3, 1, 10), now=NOW
        )
        assert refusal is not None
        assert (refusal.code, refusal.resource_id) == ("slot_unavailable", 2)


def test_include_full_lists_the_taken_slots_too_with_no_place_left():
    taken = times(busy=[(utc(2027, 3, 1, 9), utc(2027, 3, 1, 10))])
    start, end = utc(2027, 3, 1, 9), utc(2027, 3, 1, 11)
    free = free_slots([taken], start=start, end=end, duration=60 * M, step=60 * M, now=NOW)
    assert [s.start for s in free] == [utc(2027, 3, 1, 10)]
    every = free_slots(
        [taken], start=start, end=end, duration=60 * M, step=60 * M, now=NOW, include_full=True
    )
    assert [(s.start, s.places_left) for s in every] == [
        (utc(2027, 3, 1, 9), 0),
        (utc(2027, 3, 1, 10), 1),
    ]
