"""Assistance measures (帮扶措施) and disaster/accident events entered on the household page,
and the measure checks shown there and on a cadre's home page (notice §1, DOMAIN.md §5)."""
