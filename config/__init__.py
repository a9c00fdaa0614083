"""Settings and bundled configuration data."""

from dondoc.config.settings import DATA_DIR, Settings, get_settings

__all__ = ["DATA_DIR", "Settings", "get_settings"]
