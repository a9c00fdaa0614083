"""The coordinator's web board (`dondoc web`, started by `dondoc up`): server-rendered,
Vietnamese, every asset in this package. Docs: docs/web.md."""
