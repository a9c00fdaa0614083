"""The performance benchmark (``python -m bench``, ``make bench``): the sweep's decision work at
10k, 100k and 1M tasks on SQLite and PostgreSQL against a bare SQL floor, its growth with the
due count held fixed, and delivery of 1,000 emails. See docs/performance.md."""
