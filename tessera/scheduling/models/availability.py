"""When a resource can be booked, in its local time.

- `WeeklyHours`: ranges per weekday, several a day (a gap between two is a break). A range whose
  end is not after its start runs past midnight (a venue open 18:00-02:00).
- `Closure`: a dated span when the resource is closed (time off, a holiday, a blocked hour).
- `ExtraOpening`: a dated span when it is open beyond its weekly hours.

Open time is (weekly hours + extra openings) - closures: a closure always wins. Everything is
stored as local wall time and turned into UTC only when slots are computed, so "Mondays
9:00-17:00" stays 9:00-17:00 across daylight-saving changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models

from tessera.core.dates import OUT_OF_RANGE, OUT_OF_RANGE_MESSAGE, date_in_range

from .resources import Resource


class Weekday(models.IntegerChoices):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class WeeklyHours(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField(help_text="Not after the start: the range ends the next day.")

    class Meta:
        ordering = ["resource", "weekday", "start_time"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="scheduling_weeklyhours_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class LocalSpan(models.Model):
    """A span of local wall time from (start_date, start_time) to (end_date, end_time).

    An empty start time is the start of the start date; an empty end time the end of the end
    date (the next midnight). So `2026-12-24 .. 2026-12-26` with no times is three whole days.
    """

    start_date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_date = models.DateField()
    end_time = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["start_date", "start_time", "id"]

    def local_start(self) -> datetime:
        return span_start(self.start_date, self.start_time)

    def local_end(self) -> datetime:
        return span_end(self.end_date, self.end_time)

    def clean(self) -> None:
        super().clean()
        for name in ("start_date", "end_date"):
            value = getattr(self, name)
            if value and not date_in_range(value):
                raise ValidationError({name: ValidationError(OUT_OF_RANGE_MESSAGE, OUT_OF_RANGE)})
        if self.start_date and self.end_date and self.local_end() <= self.local_start():
            raise ValidationError({"end_date": "The span must end after it starts."})


def span_start(day: date, at: time | None) -> datetime:
    """Local (naive) wall time where a span starts."""
    return datetime.combine(day, at or time(0))


def span_end(day: date, at: time | None) -> datetime:
    """Local (naive) wall time where a span ends: no time means the end of that day."""
    if at is None:
        return datetime.combine(day + timedelta(days=1), time(0))
    return datetime.combine(day, at)


class Closure(LocalSpan):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="closures")

    class Meta(LocalSpan.Meta):
        indexes = [models.Index(fields=["resource", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="scheduling_closure_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"closed {self.local_start():%Y-%m-%d %H:%M} - {self.local_end():%Y-%m-%d %H:%M}"


class ExtraOpening(LocalSpan):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="extra_openings")

    class Meta(LocalSpan.Meta):
        indexes = [models.Index(fields=["resource", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="scheduling_extraopening_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"open {self.local_start():%Y-%m-%d %H:%M} - {self.local_end():%Y-%m-%d %H:%M}"
