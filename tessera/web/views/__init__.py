"""Page views, one module per area (browse, bookings, account, ...); each calls services only."""
