"""Raters and ratings of a quarter (Q3, S2, P4): proposal and adjustment of raters, recipients' invitations,
the forms, and what submitted ratings add up to."""
