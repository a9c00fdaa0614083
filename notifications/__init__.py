"""Messages to agencies: rendering (``render``), channels and targets (``channels``), delivery
through Apprise (``deliver``) and the local outbox plugin (``outbox``, schema ``dondocoutbox``)."""
