"""The identification and risk-elimination workflows (DOMAIN.md §4, notice §1).

`machine` holds the rules without the database; `services` and `elimination` write one
step each; `selectors` read for the pages."""
