"""Reading official Vietnamese documents: text hygiene, the header, number/symbol, parties,
numbered tasks, deadline phrases and rules, and the draft spec writer (`dondoc import-dispatch`).
Pure apart from reading the input file and writing the draft; no database, no network."""
