"""The pure deadline engine: periods, working days, deadlines, data cut-offs, reminder stages,
statuses and agency lineage. No I/O, no clock (``now`` and ``today`` are passed in), no
database: stored rows come in as plain attributes (``rules`` reads an Obligation row's fields)."""
