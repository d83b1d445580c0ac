"""The pages, mounted at `/`. Each area's views live in their own module under views/."""

from django.urls import path

from .views import account, bookings, browse, profile, seats, shows, times

app_name = "web"

urlpatterns = [
    # Finding what to book
    path("", browse.home, name="home"),
    path("browse/", browse.browse, name="browse"),
    path("providers/<int:owner_id>/", browse.provider_page, name="provider"),
    path("events/<int:event_id>/", browse.event_page, name="event"),
    path("venues/<int:venue_id>/", browse.venue_page, name="venue"),
    # Booking a time
    path("resources/<int:resource_id>/", times.resource_page, name="resource"),
    path("resources/<int:resource_id>/book/", times.book_slot, name="book"),
    # Booking a show: general admission, or seats from the seat map (or its list)
    path("shows/<int:show_id>/", shows.show_page, name="show"),
    path("shows/<int:show_id>/book/", shows.book_places, name="show-book"),
    path("shows/<int:show_id>/seats/", shows.seat_list, name="seat-list"),
    path("shows/<int:show_id>/seats/select/", seats.select_seats, name="seat-select"),
    path("shows/<int:show_id>/seats/confirm/", seats.confirm_seats, name="seat-confirm"),
    # My bookings
    path("bookings/", bookings.my_bookings, name="my-bookings"),
    path("bookings/<int:booking_id>/", bookings.booking_page, name="booking"),
    path("bookings/<int:booking_id>/calendar.ics", bookings.booking_calendar, name="booking-ics"),
    path("bookings/<int:booking_id>/reschedule/", times.reschedule, name="reschedule"),
    path("bookings/<int:booking_id>/cancel/", bookings.cancel, name="cancel"),
    path("bookings/<int:booking_id>/accept/", bookings.accept_offer, name="accept-offer"),
    path("bookings/<int:booking_id>/decline/", bookings.decline_offer, name="decline-offer"),
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
