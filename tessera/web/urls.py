"""The pages, mounted at `/`. Each area's views live in their own module under views/."""

from django.urls import path, register_converter

from .converters import IdConverter
from .views import (
    account,
    bookings,
    browse,
    embed,
    guest,
    manage,
    profile,
    seats,
    shows,
    times,
    walkin_join,
)
from .views.dashboard import actions as dashboard_actions
from .views.dashboard import pages as dashboard_pages
from .views.dashboard import walkin_board

app_name = "web"
register_converter(IdConverter, "id")

urlpatterns = [
    # Finding what to book
    path("", browse.home, name="home"),
    path("browse/", browse.browse, name="browse"),
    path("providers/<id:owner_id>/", browse.provider_page, name="provider"),
    path("events/<id:event_id>/", browse.event_page, name="event"),
    path("venues/<id:venue_id>/", browse.venue_page, name="venue"),
    # Booking a time
    path("resources/<id:resource_id>/", times.resource_page, name="resource"),
    path("resources/<id:resource_id>/book/", times.book_slot, name="book"),
    # Booking a show: general admission, or seats from the seat map (or its list)
    path("shows/<id:show_id>/", shows.show_page, name="show"),
    path("shows/<id:show_id>/book/", shows.book_places, name="show-book"),
    path("shows/<id:show_id>/seats/", shows.seat_list, name="seat-list"),
    path("shows/<id:show_id>/seats/select/", seats.select_seats, name="seat-select"),
    path("shows/<id:show_id>/seats/confirm/", seats.confirm_seats, name="seat-confirm"),
    # My bookings
    path("bookings/", bookings.my_bookings, name="my-bookings"),
    path("bookings/<id:booking_id>/", bookings.booking_page, name="booking"),
    path("bookings/<id:booking_id>/calendar.ics", bookings.booking_calendar, name="booking-ics"),
    path("bookings/<id:booking_id>/reschedule/", times.reschedule, name="reschedule"),
    path("bookings/<id:booking_id>/cancel/", bookings.cancel, name="cancel"),
    path("bookings/<id:booking_id>/accept/", bookings.accept_offer, name="accept-offer"),
    path("bookings/<id:booking_id>/decline/", bookings.decline_offer, name="decline-offer"),
    # Booking without an account, signed links from emails, embedding (docs/web.md)
    path("resources/<id:resource_id>/guest/", guest.guest_book, name="guest-book"),
    path("guest/confirm/<str:token>/", guest.guest_confirm, name="guest-confirm"),
    path("manage/<str:token>/", manage.manage, name="manage"),
    path("manage/<str:token>/cancel/", manage.manage_cancel, name="manage-cancel"),
    path("manage/<str:token>/reschedule/", manage.manage_reschedule, name="manage-reschedule"),
    path("embed/", embed.embed_settings, name="embed-settings"),
    path("embed/resources/<id:resource_id>/", embed.embed_resource, name="embed-resource"),
    # The provider's dashboard (views/dashboard/)
    path("dashboard/", dashboard_pages.dashboard, name="dashboard"),
    path(
        "dashboard/bookings/<id:booking_id>/approve/",
        dashboard_actions.approve,
        name="dashboard-approve",
    ),
    path(
        "dashboard/bookings/<id:booking_id>/decline/",
        dashboard_actions.decline,
        name="dashboard-decline",
    ),
    path(
        "dashboard/bookings/<id:booking_id>/no-show/",
        dashboard_actions.no_show,
        name="dashboard-no-show",
    ),
    path("dashboard/walk-ins/<id:resource_id>/", walkin_board.board, name="walkin-board"),
    path("dashboard/walk-ins/<id:resource_id>/tv/", walkin_board.tv, name="walkin-tv"),
    path("dashboard/walk-ins/<id:resource_id>/call/", walkin_board.call_next, name="walkin-call"),
    path("dashboard/walk-ins/<id:resource_id>/finish/", walkin_board.finish, name="walkin-finish"),
    path("dashboard/walk-ins/<id:resource_id>/add/", walkin_board.add, name="walkin-add"),
    # Joining a walk-in line (the QR code at the door)
    path("walk-in/<id:resource_id>/", walkin_join.join_page, name="walkin-join"),
    path("walk-in/<id:resource_id>/join/", walkin_join.join, name="walkin-join-post"),
    path("walk-in/<id:resource_id>/leave/", walkin_join.leave, name="walkin-leave"),
    # Accounts (session auth; the API keeps JWT)
    path("account/", profile.profile, name="profile"),
    path("account/sign-in/", account.SignInView.as_view(), name="sign-in"),
    path("account/sign-out/", account.SignOutView.as_view(), name="sign-out"),
    path("account/sign-up/", account.sign_up, name="sign-up"),
    path("account/password/", account.password_change, name="password-change"),
    path("account/password/reset/", account.PasswordResetView.as_view(), name="password-reset"),
    path(
        "account/password/reset/sent/",
        account.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/password/reset/done/",
        account.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
