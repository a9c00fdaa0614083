"""Review points: what an imported draft could not read with confidence, by field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewPoint:
    where: str  # the draft's field: "dispatch.issuer", "obligations[1].deadline", ...
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Review:
    """Collects review points as the parts of a text are read."""

    def __init__(self) -> None:
        self.points: list[ReviewPoint] = []

    def add(self, where: str, *messages: str) -> None:
        self.points += [ReviewPoint(where, m) for m in messages]
