"""Read-only views and outputs: the board, task histories, the synthesis (markdown, XLSX),
ICS feeds, the coordinator's digest and the calendar view."""
