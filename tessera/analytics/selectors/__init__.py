"""Read-only figures over bookings, allocations and shows, aggregated in SQL.

- `scope.py`: what a caller may count (provider: their resources; organizer: their shows;
  staff: everything; anyone else: `analytics_forbidden`), and the window of a query.
- `trends.py`: bookings per day or week by status.
- `utilisation.py`: booked time / open time per resource, sold / capacity per show.
- `rates.py`: cancellation and no-show rates, lead time (median, p90).
"""
