"""What a merge reports, and the digests that tell an unchanged row from a changed one.

Both merge paths (:mod:`.sqlite`, set-based through ``ATTACH``, and
:mod:`.portable`, through SQLAlchemy Core) fill the same report and compare
rows by the same digests, so they count and decide alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from curator.core.labels.merging import LabelPlan
from curator.core.wording import counted

MAX_ATTACHED = 8  # SQLite allows 10 attached databases; keep a margin

# How a uid present on both sides with different content was resolved.
RESOLUTIONS = {
    "time": "later updated_at wins",
    "revision": "same updated_at, higher revision wins",
    "digest": "same updated_at and revision, larger content digest wins",
}


def register_outcome(
    verdict: str, target_deleted: bool, source_deleted: bool
) -> tuple[str | None, tuple[str, str] | None]:
    """What merging one register did, from its comparison's *verdict*.

    Spans and relations are the same kind of register, so one reading of the
    verdict serves both: the outcome (``added``, ``tombstone``, ``deleted``,
    ``restored``, ``updated`` or None when the target kept its own) and the
    conflict rule that decided it, if the two sides differed.
    """
    if verdict == "new":
        return ("tombstone" if source_deleted else "added"), None
    if verdict == "same":
        return None, None
    how, winner = verdict.split(":")
    conflict = (how, winner)
    if winner != "src":
        return None, conflict
    if source_deleted and not target_deleted:
        return "deleted", conflict
    if target_deleted and not source_deleted:
        return "restored", conflict
    return "updated", conflict


@dataclass
class RelationTally:
    """The relation part of a merge report: the same counts as for spans, kept apart."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    restored: int = 0
    tombstones_added: int = 0
    types_added: int = 0
    types_updated: int = 0
    types_renamed: list[str] = field(default_factory=list)
    conflicts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return any((self.added, self.updated, self.deleted, self.restored,
                    self.tombstones_added, self.types_added, self.types_updated))  # fmt: skip

    def count_type(self, new: bool, renamed: bool, n: int = 1) -> None:
        if new:
            self.types_added += n
        else:
            self.types_updated += n

    def count(self, verdict: str, target_deleted: bool, source_deleted: bool, n: int = 1) -> None:
        """Tally *n* source relations by the verdict of the comparison with the target."""
        outcome, conflict = register_outcome(verdict, target_deleted, source_deleted)
        if conflict is not None:
            self.conflicts[conflict] += n
        if outcome is not None:
            name = "tombstones_added" if outcome == "tombstone" else outcome
            setattr(self, name, getattr(self, name) + n)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "restored": self.restored,
            "tombstones_added": self.tombstones_added,
            "types_added": self.types_added,
            "types_updated": self.types_updated,
            "types_renamed": list(self.types_renamed),
            "conflicts": {
                how: {
                    "from_source": self.conflicts[(how, "src")],
                    "kept_target": self.conflicts[(how, "tgt")],
                }
                for how in RESOLUTIONS
            },
        }

    def lines(self) -> list[str]:
        if not self.changed and not self.conflicts:
            return []
        out = [
            f"relations: {self.added} added, {self.updated} updated, {self.deleted} deleted, "
            f"{self.restored} restored"
            + (f", {self.tombstones_added} deletions new to the target" if self.tombstones_added
               else "")
            + f"; same relation differing on both sides: {sum(self.conflicts.values())}"
        ]  # fmt: skip
        if self.types_added or self.types_updated:
            out.append(f"relation types: {self.types_added} added, {self.types_updated} updated")
        out += [
            f"relation type {name!r}: another type here has that name, so it was kept as "
            f"'{name} (...)'"
            for name in self.types_renamed
        ]
        return out


@dataclass
class MergeReport:
    """What a merge changed in the target, for the summary the CLI prints."""

    sources: list[str] = field(default_factory=list)
    documents_added: int = 0
    documents_updated: int = 0
    curators_added: int = 0
    labels_added: int = 0
    labels_updated: int = 0  # renamed, recoloured, new key, moved or retired elsewhere
    labels_renamed: list[str] = field(default_factory=list)  # "old -> new": name clashes
    shortcuts_dropped: list[str] = field(default_factory=list)
    spans_added: int = 0
    tombstones_added: int = 0
    spans_updated: int = 0
    spans_deleted: int = 0
    spans_restored: int = 0
    statuses_updated: int = 0
    times_updated: int = 0  # (document, curator) pairs whose active time grew
    decisions_added: int = 0
    people_added: int = 0
    people_updated: int = 0
    # (how, winner) -> count, winner "source" or "target"
    conflicts: Counter[tuple[str, str]] = field(default_factory=Counter)
    relations: RelationTally = field(default_factory=RelationTally)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.documents_added,
                self.documents_updated,
                self.curators_added,
                self.labels_added,
                self.labels_updated,
                self.spans_added,
                self.tombstones_added,
                self.spans_updated,
                self.spans_deleted,
                self.spans_restored,
                self.statuses_updated,
                self.times_updated,
                self.decisions_added,
                self.people_added,
                self.people_updated,
                self.relations.changed,
            )
        )

    def count_labels(self, labels: LabelPlan) -> None:
        self.labels_added += len(labels.added)
        self.labels_updated += len(labels.updated)
        self.labels_renamed += labels.renamed
        self.shortcuts_dropped += labels.keys_dropped

    def count_relation_type(self, new: bool, renamed: bool, n: int = 1) -> None:
        self.relations.count_type(new, renamed, n)

    def count_relation(
        self, verdict: str, target_deleted: bool, source_deleted: bool, n: int = 1
    ) -> None:
        self.relations.count(verdict, target_deleted, source_deleted, n)

    def count_span(
        self, verdict: str, target_deleted: bool, source_deleted: bool, n: int = 1
    ) -> None:
        """Tally *n* source spans by the verdict of the comparison with the target."""
        outcome, conflict = register_outcome(verdict, target_deleted, source_deleted)
        if conflict is not None:
            self.conflicts[conflict] += n
        if outcome is not None:
            name = "tombstones_added" if outcome == "tombstone" else f"spans_{outcome}"
            setattr(self, name, getattr(self, name) + n)

    def to_json(self) -> dict[str, object]:
        """The report as ``curator merge --json`` prints it: every count, conflicts by rule."""
        return {
            "sources": list(self.sources),
            "changed": self.changed,
            "documents_added": self.documents_added,
            "documents_updated": self.documents_updated,
            "spans_added": self.spans_added,
            "spans_updated": self.spans_updated,
            "spans_deleted": self.spans_deleted,
            "spans_restored": self.spans_restored,
            "tombstones_added": self.tombstones_added,
            "curators_added": self.curators_added,
            "labels_added": self.labels_added,
            "labels_updated": self.labels_updated,
            "labels_renamed": list(self.labels_renamed),
            "statuses_updated": self.statuses_updated,
            "times_updated": self.times_updated,
            "decisions_added": self.decisions_added,
            "shortcuts_dropped": list(self.shortcuts_dropped),
            "relations": self.relations.to_json(),
            "conflicts": {
                how: {
                    "from_source": self.conflicts[(how, "src")],
                    "kept_target": self.conflicts[(how, "tgt")],
                }
                for how in RESOLUTIONS
            },
        }

    def lines(self) -> list[str]:
        """The summary, one fact a line."""
        sources = counted(len(self.sources), "source")
        out = [f"merged {sources}: {', '.join(self.sources) or '-'}"]
        out.append(
            f"documents: {self.documents_added} added"
            + (
                f", {self.documents_updated} with an earlier title/source"
                if self.documents_updated
                else ""
            )
        )
        out.append(
            f"spans: {self.spans_added} added, {self.spans_updated} updated, "
            f"{self.spans_deleted} deleted, {self.spans_restored} restored"
            + (
                f", {self.tombstones_added} deletions new to the target"
                if self.tombstones_added
                else ""
            )
        )
        total = sum(self.conflicts.values())
        out.append(f"same span differing on both sides: {total}")
        for how, text in RESOLUTIONS.items():
            src, tgt = self.conflicts[(how, "src")], self.conflicts[(how, "tgt")]
            if src or tgt:
                out.append(f"  {text}: {src} taken from the source, {tgt} kept from the target")
        out.append(
            f"curators: {self.curators_added} added; "
            f"labels: {self.labels_added} added, {self.labels_updated} updated; "
            f"document status: {self.statuses_updated} updated; "
            f"active time: {self.times_updated} updated; "
            f"review decisions: {self.decisions_added} added"
        )
        if self.people_added or self.people_updated:
            out.append(f"people: {self.people_added} added, {self.people_updated} updated")
        out += self.relations.lines()
        out += [
            f"label {name!r}: its shortcut key is held by a label edited later, "
            "so it was left without one"
            for name in self.shortcuts_dropped
        ]
        out += [
            f"label renamed {change}: its name is held by a label edited later"
            for change in self.labels_renamed
        ]
        if not self.changed:
            out.append("nothing new: the target already held everything")
        return out


TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def stamp(value: dt.datetime | str | None) -> str:
    """A timestamp as SQLite stores it (naive UTC, microseconds): the digest's input."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.astimezone(dt.UTC).strftime(TIME_FORMAT)


def span_digest(*fields: object) -> str:
    """SHA-256 of an annotation's content, the last tie-breaker between versions.

    Fields, in order: document uid, curator name, label uid (a renamed label
    is the same label), start, end,
    text, note, origin, created_at, updated_at, deleted_at, revision, the
    stored concepts and the stored fragments (pieces are content, like the
    text). Unlinked concepts (``[]``) and no fragments (NULL) at the end are
    left out, so a plain span has the digest it had before spans could be
    linked or in pieces.
    """
    if len(fields) == 14 and fields[13] is None:
        fields = fields[:13]
    if len(fields) == 13 and fields[12] in ("[]", None):
        fields = fields[:12]
    parts = [stamp(f) if isinstance(f, dt.datetime) or f is None else str(f) for f in fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def person_digest(*fields: object) -> str:
    """SHA-256 of a registry person's content: the last tie-breaker between versions.

    Fields, in order: uid, name, variants, affiliation, orcid, created_at,
    updated_at, deleted_at, revision.
    """
    parts = [stamp(f) if isinstance(f, dt.datetime) or f is None else str(f) for f in fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
