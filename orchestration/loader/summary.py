"""What a load did, per file and in total, and its rendering for a human."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Per file, the first few rejected lines are kept for the summary; the rest are only counted
# (all of them are in raw.events_rejected).
EXAMPLES_PER_FILE = 5


@dataclass
class FileSummary:
    """One input file. Invariants: loaded + rejected == lines_read (blank lines are not lines
    read, they are counted apart) and inserted + duplicates_skipped + forgotten_skipped ==
    loaded. If `error` is set the file stopped early; the counts cover what was read before
    that."""

    path: Path
    format: str | None = None
    lines_read: int = 0
    blank_lines: int = 0
    loaded: int = 0  # valid rows accepted
    inserted: int = 0  # valid rows written to raw.events
    duplicates_skipped: int = 0  # valid rows already in raw.events or repeated in this load
    forgotten_skipped: int = 0  # valid rows of a user or device forgotten after they happened
    rejected: int = 0  # rows refused (all of them are in raw.events_rejected)
    rejected_already_recorded: int = 0  # of `rejected`: already recorded by an earlier load
    rejected_forgotten: int = 0  # of `rejected`: naming a forgotten user or device, not recorded
    fabricated_anonymous_ids: int = 0  # of `loaded`: user_id only, anonymous_id made up
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[int, str]] = field(default_factory=list)  # (line_number, reason)
    error: str | None = None
    seconds: float = 0.0

    def note_rejection(self, line_number: int, reason: str) -> None:
        self.rejected += 1
        self.rejected_by_reason[reason.split(":", 1)[0]] += 1
        if len(self.examples) < EXAMPLES_PER_FILE:
            self.examples.append((line_number, reason))


@dataclass
class LoadSummary:
    """Every file of one load_paths call. Totals are sums over files, with the same
    invariants as FileSummary."""

    files: list[FileSummary] = field(default_factory=list)
    # Files found in a directory that are not a supported type; they were not read.
    skipped: list[Path] = field(default_factory=list)

    def _total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def lines_read(self) -> int:
        return self._total("lines_read")

    @property
    def blank_lines(self) -> int:
        return self._total("blank_lines")

    @property
    def loaded(self) -> int:
        return self._total("loaded")

    @property
    def inserted(self) -> int:
        return self._total("inserted")

    @property
    def duplicates_skipped(self) -> int:
        return self._total("duplicates_skipped")

    @property
    def forgotten_skipped(self) -> int:
        return self._total("forgotten_skipped")

    @property
    def rejected_forgotten(self) -> int:
        return self._total("rejected_forgotten")

    @property
    def rejected(self) -> int:
        return self._total("rejected")

    @property
    def rejected_already_recorded(self) -> int:
        return self._total("rejected_already_recorded")

    @property
    def fabricated_anonymous_ids(self) -> int:
        return self._total("fabricated_anonymous_ids")

    @property
    def rejected_by_reason(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for f in self.files:
            total.update(f.rejected_by_reason)
        return total

    @property
    def errors(self) -> list[FileSummary]:
        """Files that could not be read (or not to the end)."""
        return [f for f in self.files if f.error is not None]

    @property
    def ok(self) -> bool:
        """True when every file was read to the end. Rejected rows do not make a load fail."""
        return not self.errors

    def render(self) -> str:
        """A multi-line summary: a table of counts per file and in total, then rejection
        reasons with the first rejected lines of each file, then file errors."""
        headers = (
            "file",
            "lines",
            "blank",
            "loaded",
            "inserted",
            "dup skipped",
            "rejected",
            "fab ids",
        )
        names = (
            "lines_read",
            "blank_lines",
            "loaded",
            "inserted",
            "duplicates_skipped",
            "rejected",
            "fabricated_anonymous_ids",
        )
        rows = []
        for f in self.files:
            if f.error is not None and f.format is None:
                continue  # never opened: shown under errors only
            rows.append((str(f.path), *(f"{getattr(f, n):,}" for n in names)))
        rows.append(("TOTAL", *(f"{getattr(self, n):,}" for n in names)))
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

        def line(cells: tuple[str, ...]) -> str:
            first = cells[0].ljust(widths[0])
            rest = "  ".join(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
            return f"  {first}  {rest}"

        out = [f"Load summary: {len(self.files)} file(s)"]
        out.append(line(headers))
        out.extend(line(r) for r in rows)
        out.append(
            f"  {self.loaded:,} of {self.lines_read:,} lines loaded "
            f"({self.inserted:,} inserted, {self.duplicates_skipped:,} duplicates skipped), "
            f"{self.rejected:,} rejected."
        )
        if self.forgotten_skipped or self.rejected_forgotten:
            out.append(
                f"  {self.forgotten_skipped:,} loaded and {self.rejected_forgotten:,} rejected "
                "lines belong to a forgotten user or device and were not written "
                "(docs/forget.md)."
            )
        if self.rejected_already_recorded:
            out.append(
                f"  {self.rejected_already_recorded:,} rejected lines were already in "
                "raw.events_rejected from an earlier load and were not recorded again."
            )
        if self.rejected:
            out.append("")
            out.append("Rejected, by reason (rows are in raw.events_rejected):")
            for reason, n in sorted(
                self.rejected_by_reason.items(), key=lambda kv: (-kv[1], kv[0])
            ):
                out.append(f"  {reason}: {n:,}")
            for f in self.files:
                if not f.examples:
                    continue
                more = f.rejected - len(f.examples)
                out.append(f"  {f.path}:")
                for line_number, reason in f.examples:
                    out.append(f"    line {line_number}: {reason}")
                if more:
                    out.append(f"    ... and {more:,} more")
        if self.errors:
            out.append("")
            out.append("Errors (these files were not loaded, or not to the end):")
            for f in self.errors:
                out.append(f"  {f.path}: {f.error}")
        if self.skipped:
            out.append("")
            out.append("Skipped in directories (not a supported file type):")
            out.extend(f"  {p}" for p in self.skipped)
        return "\n".join(out)
