"""Who recorded a submission, as the audit trail shows it: never what a caller claims.

A deployment run comes through the Prefect API. Prefect's open-source server knows one user,
the ``user`` of its basic-auth string ``user:password`` (PREFECT_SERVER_API_AUTH_STRING, which the
serving process holds as PREFECT_API_AUTH_STRING to reach the server); without it, the API has
no user at all. A command run on the machine is the operating-system user who ran it.
"""

from __future__ import annotations

import getpass

VIA_API = "qua API"
UNAUTHENTICATED = "không xác thực"
COMMAND_LINE = "dòng lệnh"


def auth_user(auth_string: str | None) -> str | None:
    """The user part of a basic-auth string ``user:password`` (None when unset or empty)."""
    user = (auth_string or "").partition(":")[0].strip()
    return user or None


def api_actor(auth_string: str | None) -> str:
    """``admin (qua API)`` behind basic auth, ``không xác thực (qua API)`` without it."""
    return f"{auth_user(auth_string) or UNAUTHENTICATED} ({VIA_API})"


def local_actor() -> str:
    """The operating-system user running this process: ``vanthu (dòng lệnh)``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (e.g. a bare container uid)
        user = "không rõ người dùng"
    return f"{user} ({COMMAND_LINE})"


def serving_auth_string() -> str | None:
    """The basic-auth string of the Prefect API this process talks to (client setting first,
    then the server's own setting when the flow runs beside the server)."""
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_SERVER_API_AUTH_STRING

    for setting in (PREFECT_API_AUTH_STRING, PREFECT_SERVER_API_AUTH_STRING):
        value = setting.value()
        secret = value.get_secret_value() if hasattr(value, "get_secret_value") else value
        if secret:
            return str(secret)
    return None
