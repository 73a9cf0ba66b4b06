"""Collection of the quarter's quantitative indicator values (Q2, Q6, P3): files and API calls from the
business systems the scheme names as data sources, and the daily-record figures computed from records."""
