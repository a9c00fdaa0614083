"""Accounts of the web board: argon2id hashes (argon2-cffi), roles, disabling, and the
audit trail of logins."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlmodel import Session, col

from dondoc.errors import ConflictError, InputError, NotFoundError
from dondoc.models import ROLES, AppUser, Event, utcnow

MIN_PASSWORD = 8
MAX_PASSWORD = 1024
NAME = re.compile(r"[\w.@-]{1,64}")

_hasher = PasswordHasher()
# Verifying against this when the name is unknown costs as much as a real check, so the
# answer's timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("dondoc-no-such-user")


@dataclass(frozen=True)
class UserView:
    name: str
    role: str
    created_at: str
    disabled: bool


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise InputError(
            f"user name {name!r}: 1 to 64 letters, digits or . _ @ - (no spaces)",
            field="name",
            value=name,
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"the password must have at least {MIN_PASSWORD} characters", field="password"
        )
    if len(password) > MAX_PASSWORD:
        raise InputError(f"the password must have at most {MAX_PASSWORD} characters")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"role {role!r}: one of {', '.join(ROLES)}", field="role", value=role)
    return role


def find_user(session: Session, name: str) -> AppUser | None:
    user: AppUser | None = session.execute(
        select(AppUser).where(col(AppUser.name) == name)
    ).scalar_one_or_none()
    return user


def has_users(session: Session) -> bool:
    """Whether any account exists (disabled ones count: someone can administer the board)."""
    return session.execute(select(col(AppUser.id)).limit(1)).first() is not None


def add_user(session: Session, *, name: str, password: str, role: str, actor: str) -> AppUser:
    check_name(name)
    check_role(role)
    check_password(password)
    if find_user(session, name) is not None:
        raise ConflictError(f"user {name!r} already exists", field="name", value=name)
    user = AppUser(name=name, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.add(Event(kind="user_add", actor=actor, detail=f"{name} ({role})"))
    session.flush()
    return user


def list_users(session: Session) -> list[UserView]:
    users = session.execute(select(AppUser).order_by(col(AppUser.name))).scalars()
    return [
        UserView(u.name, u.role, f"{u.created_at:%Y-%m-%d %H:%M}Z", u.disabled_at is not None)
        for u in users
    ]


def disable_user(session: Session, *, name: str, actor: str) -> AppUser:
    user = find_user(session, name)
    if user is None:
        raise NotFoundError(f"unknown user {name!r}", field="name", value=name)
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        session.add(user)
        session.add(Event(kind="user_disable", actor=actor, detail=name))
        session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> AppUser | None:
    """The account when the name and password match and it is not disabled; a successful
    login is an Event (actor = the user's name), a failed one too (actor "web")."""
    user = find_user(session, name) if NAME.fullmatch(name) else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password[:MAX_PASSWORD])
        ok = user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or user.disabled_at is not None:
        session.add(Event(kind="login_failed", actor="web", detail=name[:64]))
        return None
    session.add(Event(kind="login", actor=user.name, detail="web"))
    return user
