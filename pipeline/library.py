"""The library entry point: `check` a workbook, `build` its briefing, `init` a new one;
`release` an edition and `diff` two; and give its sheets as pandas DataFrames (`frames`)
for analysts in notebooks.

This is where "errors stop the build" lives: `build` makes a briefing only from the
`ValidWorkbook` that `check` hands out when validation finds no errors. It is also where the
previous edition comes in: released editions live in `editions/` beside the workbook, and
`check` and `build` compare with the latest of them unless told `since` which. The command
line is a thin shell over these; tests, benchmarks and notebooks call them directly. Every
failure that is the input's or the machine's raises an `InputError` saying what to do.
"""

from __future__ import annotations

import dataclasses
import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .briefing import editions, model
from .briefing.editions import Comparison, Edition
from .briefing.items import Briefing
from .checks import editions as edition_checks
from .checks.validate import Checked
from .checks.validate import check as validated
from .errors import CannotWrite, InputError
from .files import write_bytes
from .packages import InputKind, read_head
from .rows import BriefingFields
from .workbook.load import LoadedWorkbook, load

if TYPE_CHECKING:  # pandas is loaded only when frames are asked for
    import pandas

# Released editions are kept here, beside the workbook, to go under version control with it.
EDITIONS = "editions"


def check(workbook: str | Path, annotated_copy: str | Path | None = None, since: str | Path | None = None) -> Checked:
    """Validate `workbook`: every problem, located at its cell, and the `ValidWorkbook` to
    build from when there are no errors. It is checked against the previous edition too:
    `since` (a released snapshot, .json, or a briefing this pipeline wrote, .docx), else the
    latest edition released beside it. With `annotated_copy`, also write a copy of the
    workbook with every problem highlighted and commented (never over the workbook itself)."""
    workbook = Path(workbook)
    if annotated_copy is not None:
        annotated_copy = Path(annotated_copy)
        if annotated_copy.suffix.lower() != ".xlsx":
            raise InputError(f"the annotated copy must be an .xlsx file, not {annotated_copy.name}.")
        if annotated_copy.resolve() == workbook.resolve():
            raise InputError(
                "the annotated copy cannot replace the workbook itself; the workbook is only ever read. Choose another name."
            )
    with _collector_paused():
        loaded = load(workbook)
        previous = read_edition(Path(since)) if since is not None else _latest_release(workbook.parent / EDITIONS, loaded)
        checked = validated(loaded, previous)
    if annotated_copy is not None:
        from .workbook import annotate  # here: openpyxl is loaded only to write a workbook

        _writing(annotated_copy, annotate.write, workbook, checked.problems, annotated_copy)
    return checked


@dataclass(frozen=True)
class Built:
    """What `build` did: the validation, and the briefing it wrote (None when errors stopped it);
    the redline against the previous edition, when there was one, and the snapshot inside; and
    what the user should know of the result (a contents list without page numbers, say)."""

    checked: Checked
    briefing: Briefing | None
    output: Path
    redline: Path | None = None
    snapshot: bytes | None = None
    notes: tuple[str, ...] = ()

    @property
    def written(self) -> bool:
        return self.briefing is not None


def build(workbook: str | Path, output: str | Path, template: str | Path | None = None, since: str | Path | None = None) -> Built:
    """Validate `workbook` and, when it has no errors, write its briefing to `output` (a .docx)
    in one step; otherwise write nothing and leave a previous `output` as it was. The look
    comes from `template` (a .docx) when given. Compared with the previous edition (`since`,
    as `check` takes it), the briefing says what changed, and a redline beside `output`,
    `<name>.changes.docx`, marks every change as Word's tracked changes."""
    output = Path(output)
    if output.suffix.lower() != ".docx":
        raise InputError(f"the output must be a .docx file, not {output}.")
    if template is not None and Path(template).resolve() == output.resolve():
        raise InputError(f"the briefing cannot be written over its own template, {template}. Choose another output name.")
    return _written(check(workbook, since=since), output, template, with_redline=True)


def redline_path(output: Path) -> Path:
    """Where `build` puts the redline of `output`: `reports/x.docx` -> `reports/x.changes.docx`."""
    return output.with_name(f"{output.stem}.changes.docx")


def _written(checked: Checked, output: Path, template, with_redline: bool) -> Built:
    valid = checked.valid
    if valid is None:
        return Built(checked, None, output)
    from .word import redline, render  # here: validating alone never loads python-docx

    previous = checked.previous
    if previous is not None and not isinstance(previous, Edition):
        raise TypeError("a workbook is compared with an edition the library read")
    with _collector_paused():
        comparison = editions.compare(previous, valid) if previous is not None else None
        briefing = model.build(valid, comparison)
        snapshot = editions.snapshot(valid, briefing.changes, previous)
        template = Path(template) if template else None
        # The redline compares the document as rendered: then it is kept whole.
        redlined = with_redline and previous is not None
        rendered = _writing(output, render.write, briefing, output, template=template, snapshot=snapshot, whole=redlined)
    if not redlined or previous is None:
        return Built(checked, briefing, output, snapshot=snapshot, notes=rendered.notes)
    marked = redline_path(output)
    _writing(
        marked,
        redline.write,
        model.build(previous),
        briefing,
        rendered,
        marked,
        unrelated=comparison.replaced() if comparison is not None else set(),
        template=template,
    )
    return Built(checked, briefing, output, marked, snapshot, rendered.notes)


@dataclass(frozen=True)
class Released:
    """What `release` did: the validation, and the edition's briefing and snapshot in
    `editions/`. `new` is False when nothing was written: problems stopped it (`checked`), or
    this edition was released before with the same content (the paths say where)."""

    checked: Checked
    briefing: Path | None
    snapshot: Path | None
    new: bool = False


def release(workbook: str | Path, template: str | Path | None = None) -> Released:
    """Record the workbook's current edition in `editions/` beside it: its briefing (.docx) and
    its snapshot (.json), named by as_of and edition label, to keep under version control.
    Releasing the same content again does nothing; a label released before with other content,
    or none, is refused as a problem at the edition cell."""
    workbook = Path(workbook)
    folder = workbook.parent / EDITIONS
    checked = check(workbook)
    if checked.valid is None:
        return Released(checked, None, None)
    fields = BriefingFields(checked.valid.fields())
    label = fields.edition
    if not label:
        return Released(_adding(checked, edition_checks.unlabelled(checked.workbook)), None, None)
    name = folder / f"{fields.as_of:%Y-%m-%d}_{_slug(label)}"
    content = editions.content(checked.workbook)
    for path, edition in _releases(folder):
        if edition.label == label and edition.content == content:
            return Released(checked, path.with_suffix(".docx"), path)
        if edition.label == label:
            return Released(
                _adding(checked, edition_checks.label_released(checked.workbook, f"{EDITIONS}/{path.name}")), None, None
            )
        if path == name.with_suffix(".json"):
            raise InputError(
                f"edition {label} would be kept as {path}, which holds edition {edition.label}; "
                "give this edition a label that differs by more than punctuation."
            )
    built = _written(checked, name.with_suffix(".docx"), template, with_redline=False)
    snapshot = name.with_suffix(".json")
    _writing(snapshot, write_bytes, snapshot, built.snapshot)  # last: a snapshot marks a complete release
    return Released(checked, built.output, snapshot, new=True)


def _adding(checked: Checked, problem) -> Checked:
    return dataclasses.replace(checked, problems=[*checked.problems, problem])


@dataclass(frozen=True)
class Compared:
    """What `diff` found: the comparison, or None when the new workbook has errors (`checked`)."""

    comparison: Comparison | None
    checked: Checked | None = None


def diff(old: str | Path, new: str | Path) -> Compared:
    """Compare the edition `old` (a briefing this pipeline wrote, or a snapshot) with `new`:
    another such edition, or a workbook, which must be free of errors. Only content is
    compared: unlike `check`, it does not ask that `new` be a later edition."""
    previous = read_edition(Path(old))
    new = Path(new)
    if new.suffix.lower() in (".docx", ".json"):
        return Compared(editions.compare(previous, read_edition(new)))
    with _collector_paused():
        checked = validated(load(new))
    valid = checked.valid
    return Compared(editions.compare(previous, valid) if valid is not None else None, checked)


def read_edition(path: Path) -> Edition:
    """The edition a snapshot (.json) or a briefing this pipeline wrote (.docx) holds."""
    kind = path.suffix.lower()
    if kind == ".docx":
        from .word import customxml

        data = customxml.read(path)
        if data is None:
            raise InputError(
                f"{path} carries no edition snapshot: this pipeline did not write it, or wrote it before editions. "
                f"Compare with the edition's snapshot in {EDITIONS}/ instead."
            )
    elif kind == ".json":
        read_head(path, _SNAPSHOT)  # a regular file: reading a pipe would wait for ever
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"could not read {path}: {exc.strerror or exc}.") from exc
    else:
        raise InputError(
            f"an edition to compare with is a snapshot (.json) or a briefing this pipeline wrote (.docx), not {path.name}."
        )
    return Edition.parse(data, str(path))


_SNAPSHOT = InputKind(
    noun="snapshot",
    error=InputError,
    program="make release",
    missing=f"Give the path of a snapshot in {EDITIONS}/, or of a briefing this pipeline wrote.",
    too_big="",
)
# A released snapshot's name: its as_of, then its label (`2022-08-31_edition-1.json`).
_RELEASED = re.compile(r"\d{4}-\d{2}-\d{2}_.+\.json")


def _slug(label: str) -> str:
    return "edition-" + (re.sub(r"[^A-Za-z0-9.]+", "-", label).strip("-.") or "x")


def _releases(folder: Path, day: str | None = None) -> list[tuple[Path, Edition]]:
    """The editions released in `folder`, in the order they were released: by as_of, and on
    one day each after the edition it was compared with. With `day` (2022-08-31), only those
    released as of that day, the others left unread."""
    found = [(path, read_edition(path)) for path in _released_files(folder) if day is None or path.name.startswith(f"{day}_")]
    names = {(e.label, e.as_of): e for _, e in found}

    def depth(edition: Edition) -> int:
        seen = 0
        while edition.since is not None and edition.since[1] == edition.as_of and edition.since in names and seen < len(names):
            edition, seen = names[edition.since], seen + 1
        return seen

    return sorted(found, key=lambda pair: (pair[1].as_of, depth(pair[1])))


def _released_files(folder: Path) -> list[Path]:
    """The snapshots in `folder`, by name: as_of first."""
    return sorted(path for path in folder.iterdir() if _RELEASED.fullmatch(path.name)) if folder.is_dir() else []


def _latest_release(folder: Path, workbook: LoadedWorkbook) -> Edition | None:
    """The edition to compare `workbook` with: the latest released, or, when the workbook is
    that very edition (its label and content), the one that edition was compared with, so that
    building a released edition again gives the same briefing."""
    files = _released_files(folder)
    if not files:
        return None
    # Only the latest day's snapshots are read, and the one it was compared with: a desk's
    # folder holds years of editions, and every check would read them all.
    released = _releases(folder, day=files[-1].name[:10])
    latest = released[-1][1]
    if latest.label != workbook.fields().get("edition") or latest.content != editions.content(workbook):
        return latest
    if latest.since is None:
        return None
    label, as_of = latest.since
    earlier = [e for _, e in released[:-1]]
    if as_of != latest.as_of:  # released on an earlier day: under its own name, or anywhere
        named = folder / f"{as_of:%Y-%m-%d}_{_slug(label)}.json" if label else None
        earlier = [read_edition(named)] if named is not None and named.is_file() else [e for _, e in _releases(folder)]
    return next((e for e in reversed(earlier) if (e.label, e.as_of) == latest.since), None)


def init(path: str | Path) -> None:
    """Write a blank workbook that follows the contract at `path`, which must not exist."""
    path = Path(path)
    if path.exists():
        raise InputError(f"{path} already exists; init never overwrites a file. Choose a new name.")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"give the new workbook an .xlsx name, not {path.name}.")
    from .workbook import blank  # here: openpyxl is loaded only to write a workbook

    _writing(path, blank.write, path)


class WorkbookHasErrors(ValueError):
    """The workbook has errors, so nothing is made from it; `checked.problems` lists them."""

    def __init__(self, checked: Checked):
        errors = checked.errors
        first = "; ".join(f"{p.location} [{p.code}] {p.message}" for p in errors[:3])
        more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
        super().__init__(f"{checked.workbook.path} has {len(errors)} error{'s' * (len(errors) != 1)}: {first}{more}")
        self.checked = checked


def frames(workbook: str | Path | Checked) -> dict[str, pandas.DataFrame]:
    """The workbook's sheets as pandas DataFrames, by sheet name, typed by the contract and
    indexed by the workbook's row number (see `dataframes`). `workbook` is a path, or what
    `check` returned for it. A workbook with errors raises WorkbookHasErrors, as it builds no
    briefing: the frames hold nothing validation refused."""
    checked = workbook if isinstance(workbook, Checked) else check(workbook)
    valid = checked.valid
    if valid is None:
        raise WorkbookHasErrors(checked)
    from . import dataframes  # here: pandas is loaded only when frames are asked for

    return dataframes.of(valid)


@contextmanager
def _collector_paused():
    """Python's cycle collector paused while a workbook is read or a briefing made, and let
    run after. Both make hundreds of thousands of objects that live to the end and hardly a
    cycle among them, and the collector's passes over them cost a third of the time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _writing(path: Path, write, *args, **kwargs):
    try:
        return write(*args, **kwargs)
    except InputError:
        raise
    except OSError as exc:
        raise CannotWrite(path, exc) from exc
