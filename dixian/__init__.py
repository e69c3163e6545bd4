"""dixian (底线): the county work platform for consolidating poverty-alleviation gains."""
