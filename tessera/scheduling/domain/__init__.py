"""Pure scheduling logic: no ORM, no Django. Inputs are plain data; outputs are plain data."""
