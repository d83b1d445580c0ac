"""Every coded refusal of the services, as a sentence a person reads on a page.

`PROBLEM_SENTENCES` is the one table: a `DomainError.code` (or an API problem code, or the code of
a field error) to a translatable sentence. A test checks that every code documented in
docs/api-errors.md has one, so a new code cannot reach a page as a stack trace or as English-only
developer text. `feedback.py` turns an error into a page message or a form error with it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROBLEM_SENTENCES: dict[str, Promise] = {
    # Input
    "invalid": _("Some of what you entered is not valid. Check the form and try again."),
    "malformed_body": _("The request could not be read. Reload the page and try again."),
    "bad_request": _("The request could not be read. Reload the page and try again."),
    "required": _("This field is required."),
    "null": _("This field is required."),
    "blank": _("This field is required."),
    "empty": _("This cannot be empty."),
    "max_length": _("This is too long."),
    "min_length": _("This is too short."),
    "max_value": _("This number is too large."),
    "min_value": _("This number is too small."),
    "max_digits": _("This number has too many digits."),
    "not_a_list": _("Some of what you entered is not valid. Check the form and try again."),
    "not_a_dict": _("Some of what you entered is not valid. Check the form and try again."),
    "invalid_choice": _("Choose one of the options offered."),
    "naive_datetime": _("Give the time with its time zone."),
    "out_of_range": _("That date is out of range."),
    "overflow": _("That date is out of range."),
    "conflicting_fields": _("Two of the fields you filled in contradict each other."),
    "does_not_exist": _("Something you chose no longer exists. Reload the page and try again."),
    "duplicate": _("The same item was chosen twice."),
    "not_allowed": _("That option is not available here."),
    "unique": _("That is already taken: choose another."),
    "password_too_weak": _(
        "Choose a stronger password: at least 8 characters, not too common, not all numbers and "
        "not like your username."
    ),
    "wrong_password": _("Your current password is not right."),
    "invalid_phone": _("Give the phone number in international form, e.g. +34600111222."),
    "phone_required": _("Give a phone number to be told by SMS or WhatsApp."),
    "invalid_event_type": _("That is not a message we send."),
    "invalid_event": _("That is not a message we send."),
    "invalid_timezone": _("Choose a time zone from the list."),
    "invalid_idempotency_key": _("The request could not be read. Reload the page and try again."),
    "end_before_start": _("The end must come after the start."),
    "not_whole_minute": _("Choose a time on the minute."),
    "too_long": _("That is longer than a single booking may last."),
    "span_too_long": _("That period is too long."),
    "window_too_long": _("Choose a shorter period to look at."),
    "invalid_range": _("The end must come after the start."),
    "in_past": _("That time has already passed."),
    "nonexistent_local_time": _("That time does not exist there (the clocks change)."),
    "duplicate_resource": _("The same participant was chosen twice."),
    "too_many_resources": _("Too many participants for one booking."),
    "too_many_ranges": _("Too many opening hours in one week."),
    "owner_not_provider": _("Only a provider can own this."),
    "not_an_organizer": _("Only an organizer can own this."),
    "unknown_seat": _("A seat you chose is not in this hall. Reload the seat map."),
    "unknown_category": _("No seat of that category is for sale at this show."),
    "exceeds_venue_capacity": _("That is more places than the venue holds."),
    "capacity_with_seats": _("A show with reserved seats sells its seats, not a number of places."),
    "hall_not_in_venue": _("That hall is not in this venue."),
    "hall_has_no_seats": _("That hall has no seats for sale."),
    "duplicate_seat": _("The same seat appears twice."),
    "invalid_label": _("That seat label is not valid."),
    "invalid_row": _("That row is not valid."),
    "too_many_seats": _("That hall would have too many seats."),
    "too_many_rows": _("That hall would have too many rows."),
    "number_out_of_range": _("That seat number is out of range."),
    # Who you are
    "not_authenticated": _("Sign in to continue."),
    "bad_authorization_header": _("Sign in to continue."),
    "token_not_valid": _("Your sign-in has expired. Sign in again."),
    "no_active_account": _("The username or password is not right, or the account is closed."),
    "user_not_found": _("That account no longer exists."),
    "user_inactive": _("That account is closed."),
    "permission_denied": _("You are not allowed to do that."),
    "cannot_book_for_others": _("You can book only for yourself."),
    "analytics_forbidden": _("You are not allowed to see these figures."),
    "self_revoke": _("You cannot take away your own staff role."),
    "walkin_identity_required": _("Give a name or a phone number to join the line."),
    # Not there
    "not_found": _("That page or item does not exist, or is not yours to see."),
    "unknown_role": _("There is no such role."),
    "resource_not_found": _("That service or resource does not exist, or is not open to you."),
    "booking_not_found": _("That booking does not exist, or is not yours."),
    "hold_not_found": _("Your seats are no longer held. Choose them again."),
    "walkin_not_found": _("That place in line does not exist."),
    "method_not_allowed": _("That action is not available on this page."),
    "not_acceptable": _("That format is not available."),
    "unsupported_media_type": _("That format is not accepted."),
    "request_too_large": _("What you sent is too large."),
    # Clashes with the current state
    "conflict": _("That cannot be done right now: something changed. Reload and try again."),
    "illegal_transition": _("This booking can no longer be changed that way."),
    "lock_timeout": _("Many people are booking right now. Wait a moment and try again."),
    "idempotency_key_reused": _("That request was already sent with different details."),
    "slot_unavailable": _("That time has just been taken. Choose another time."),
    "outside_availability": _("That time is outside the opening hours. Choose another time."),
    "too_late": _("That time is too soon to book. Choose a later time."),
    "too_far_ahead": _("That time is too far ahead to book yet."),
    "resource_inactive": _("This is not taking bookings at the moment."),
    "capacity_below_bookings": _("There are more bookings at that time than the new capacity."),
    "cancellation_deadline_passed": _(
        "It is too late to cancel or move this booking online. Contact the provider."
    ),
    "booking_not_live": _("Only a pending or confirmed booking can be moved."),
    "approval_required": _("A confirmed booking here can be moved only by the provider."),
    "not_started": _("That cannot be done before the booking starts."),
    "not_yet_ended": _("That cannot be done before the booking ends."),
    "no_show_window_passed": _("It is too late to mark this booking as a no-show."),
    "not_time_booking": _("Only a booking of time can be moved."),
    "already_waitlisted": _("You are already on the waiting list for this."),
    "offer_expired": _(
        "The time to accept this offer has passed; the place went to the next person."
    ),
    "offer_not_accepted": _("The customer has not accepted this offer yet."),
    "seat_taken": _("Someone else has just taken a seat you chose. Choose another seat."),
    "seat_unavailable": _("A seat you chose is not for sale. Choose another seat."),
    "capacity_exceeded": _("There are not enough places left for that many."),
    "hold_expired": _("Your hold on these seats has run out. Choose them again."),
    "hold_released": _("These seats were released. Choose them again."),
    "hold_used": _("These seats are already booked: see My bookings."),
    "hold_limit": _("That is more seats than you may hold at once."),
    "booking_limit": _("That is more seats or places than one booking may take."),
    "wrong_seating": _("This show has a different kind of seating. Reload the page."),
    "show_required": _("Choose a date and time for this event."),
    "sales_closed": _("Sales for this show have closed."),
    "show_cancelled": _("This show was cancelled."),
    "show_started": _("This show has already started."),
    "show_overlap": _("Another show is in that hall at that time."),
    "capacity_below_sold": _("More places are sold than the new capacity."),
    "layout_in_use": _("Seats that were sold cannot be removed from the layout."),
    "walkin_already_in_queue": _("You are already in this line."),
    "walkin_not_waiting": _("That person is no longer waiting."),
    "walkin_queue_empty": _("Nobody is waiting."),
    "walkin_queue_closed": _("This line is closed."),
    "walkin_not_served": _("That person has not been served yet."),
    "walkin_already_finished": _("That visit is already finished."),
    "walkin_finish_too_soon": _("That visit cannot finish before it started."),
    "walkins_user_waiting_once": _("You are already in this line."),
    "already_erased": _("That person's data was already erased."),
    "erasure_live_bookings": _("That person still has bookings to come."),
    "outbox_not_dead": _("That message has not failed."),
    "delivery_pending": _("That delivery is still pending."),
    "webhook_signature_invalid": _("The signature is not valid."),
    "webhook_signature_expired": _("The signature has expired."),
    # Booking without an account, signed links, embedding (docs/web.md)
    "guest_booking_disabled": _(
        "This place takes bookings from signed-in people only. Sign in or create an account."
    ),
    "guest_email_has_account": _(
        "This email address belongs to an account. Sign in to book with it."
    ),
    "slot_not_offered": _("Choose one of the times offered."),
    "booking_lapsed": _(
        "This booking is no longer held: it was not confirmed in time or was cancelled."
    ),
    "link_invalid": _("This link is not valid. Use the link from your most recent email."),
    "link_expired": _(
        "This link has expired. Use the link from a more recent email, or sign in to manage "
        "your booking."
    ),
    "link_used": _("This link has been used already: each cancel or move link works once."),
    "invalid_origin": _("Enter each site as an address such as https://shop.example."),
    "too_many_origins": _("That is more sites than you may list."),
    # Accounts and sign-in (the API's staff rules and token revocation)
    "cannot_erase_self": _("You cannot erase your own account here."),
    "cannot_erase_superuser": _("A superuser's account cannot be erased here."),
    "cannot_erase_staff": _("Only a superuser may erase a staff member."),
    "cannot_demote_superuser": _("Only a superuser may take the staff role from a superuser."),
    "last_superuser": _("This would leave no superuser: make someone else one first."),
    "password_changed": _("Your password was changed since you signed in. Sign in again."),
    "token_revoked": _("You were signed out everywhere. Sign in again."),
    "token_reused": _("For your safety you were signed out. Sign in again."),
    "too_many_slots": _("That is too many times to show at once. Choose a shorter period."),
    # Limits and our side
    "database_unavailable": _("We cannot reach our records right now. Try again in a moment."),
    "throttled": _("Too many attempts. Wait a few minutes and try again."),
    "server_error": _("Something went wrong on our side. Try again in a moment."),
}

# What a page says for a code it does not know, by the HTTP status of the error.
FALLBACK_BY_STATUS: dict[int, Promise] = {
    400: PROBLEM_SENTENCES["invalid"],
    401: PROBLEM_SENTENCES["not_authenticated"],
    403: PROBLEM_SENTENCES["permission_denied"],
    404: PROBLEM_SENTENCES["not_found"],
    409: PROBLEM_SENTENCES["conflict"],
    429: PROBLEM_SENTENCES["throttled"],
}


def problem_sentence(code: str, status: int = 400) -> str:
    """The human sentence for a problem code, in the active language."""
    sentence = PROBLEM_SENTENCES.get(code) or FALLBACK_BY_STATUS.get(
        status, PROBLEM_SENTENCES["server_error"]
    )
    return str(sentence)
