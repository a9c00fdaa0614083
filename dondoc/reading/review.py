"""Review points: what an imported draft could not read with confidence, by field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewPoint:
    where: str  # the draft's field: "dispatch.issuer", "obligations[1].deadline", ...
    message: str
    sentence: str | None = None  # the text the value was read from, shown beside the field

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Review:
    """Collects review points as the parts of a text are read."""

    def __init__(self) -> None:
        self.points: list[ReviewPoint] = []

    def add(self, where: str, *messages: str, sentence: str | None = None) -> None:
        self.points += [ReviewPoint(where, m, sentence) for m in messages]
