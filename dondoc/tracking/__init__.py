"""The sweep and every write it makes: planning tasks, status refresh, reminders, succession
transfers, delivery and its claims, flagging, isolation alerts, submissions, contacts and
loading directive specs into the database."""
