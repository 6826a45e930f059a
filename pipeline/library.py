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
import fcntl
import gc
import hashlib
import os
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import forked
from .briefing import editions, model
from .briefing.editions import Comparison, Edition
from .briefing.items import Briefing
from .checks import editions as edition_checks
from .checks.validate import Checked
from .checks.validate import check as validated
from .errors import CannotWrite, InputError
from .files import kept_aside, reading, record_written, together
from .packages import InputKind, read_head
from .rows import BriefingFields
from .workbook.load import LoadedWorkbook, load

if TYPE_CHECKING:  # pandas is loaded only when frames are asked for
    import pandas

# Released editions are kept here, beside the workbook, to go under version control with it:
# each workbook's in a folder of its own, named as the workbook is (`editions/russia_iran_ties/`),
# so that two briefings beside each other never compare with one another's editions.
EDITIONS = "editions"


def editions_of(workbook: Path) -> Path:
    """Where the editions of `workbook` are released: `editions/<workbook name>/` beside it."""
    return workbook.parent / EDITIONS / workbook.stem


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
    with _collector_paused(), reading(workbook, since):
        loaded = load(workbook)
        previous = read_edition(Path(since)) if since is not None else _latest_release(workbook, loaded)
        checked = validated(loaded, previous)
        other = _other_briefing(Path(since), workbook) if since is not None else None
        if other is not None:
            checked = _adding(checked, edition_checks.of_another_briefing(loaded, str(since), other, workbook.stem))
    if annotated_copy is not None:
        from .workbook import annotate  # here: openpyxl is loaded only to write a workbook

        with reading(workbook, since):
            _writing(annotated_copy, annotate.write, workbook, checked.problems, annotated_copy)
    return checked


def _other_briefing(since: Path, workbook: Path) -> str | None:
    """The briefing whose edition `since` is, when it was released for another workbook than
    `workbook` (it lies in another's `editions/<name>/`); None when it is this one's or unknown."""
    folder = since.resolve().parent
    if folder.parent.name == EDITIONS and folder.name != workbook.stem:
        return folder.name
    return None


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
    kept: tuple[Path, ...] = ()  # edited copies of the outputs, moved aside before they were written again

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
    with reading(workbook, template, since):
        return _written(check(workbook, since=since), output, template, with_redline=True)


def redline_path(output: Path) -> Path:
    """Where `build` puts the redline of `output`: `reports/x.docx` -> `reports/x.changes.docx`."""
    return output.with_name(f"{output.stem}.changes.docx")


def _written(
    checked: Checked, output: Path, template, with_redline: bool, released_as: Path | None = None, new: bool = False
) -> Built:
    """The briefing of `checked` at `output` and, `with_redline` against a previous edition, its
    redline beside it: one result, both in place or neither (a stale redline of a build with no
    previous edition goes with it). With `released_as`, the snapshot too. With `new`, every
    file is created new (a release). An output someone changed since the last build wrote it
    (a review's comments and edits) is never written over: it is moved to `review/` beside it
    first (`Built.kept`). The open comments of a review of `output` go back on their items."""
    valid = checked.valid
    if valid is None:
        return Built(checked, None, output)
    from .word import render  # here: validating alone never loads python-docx

    previous = checked.previous
    if previous is not None and not isinstance(previous, Edition):
        raise TypeError("a workbook is compared with an edition the library read")
    redlined = with_redline and previous is not None
    marked = redline_path(output)
    paths = (marked, output) if redlined else (output,)
    stale = (marked,) if with_redline and not redlined and os.path.lexists(marked) else ()
    from . import reviews

    carried = () if new else reviews.carried(output)
    try:
        with together(*paths, *filter(None, [released_as]), new=new, removing=stale) as temporaries:
            written = dict(zip(paths, temporaries))
            with _collector_paused():
                encoded = editions.content(valid)  # for the comparison and the snapshot: encoded once
                comparison = editions.compare(previous, valid, encoded) if previous is not None else None
                briefing = model.build(valid, comparison)
                template = Path(template) if template else None
                # The snapshot is made beside the rendering where the workbook is large: a
                # second, at 60,000 statements, that the rendering need not wait for.
                large = len(valid.records("Statements")) >= forked.BESIDE_FROM_STATEMENTS
                with forked.beside(partial(editions.snapshot, valid, briefing.changes, previous, encoded), wanted=large) as made:
                    if redlined and comparison is not None:  # the briefing and its redline, from one rendering
                        from .word import redline  # here: a build with no previous edition never loads it

                        rendered = redline.write(
                            model.build(comparison.old),
                            briefing,
                            comparison,
                            (written[output], written[marked]),
                            template=template,
                            snapshot=made,
                            workbook_name=checked.workbook.path.stem,
                            carried=carried,
                            old_listed=_printed_contents(comparison.old),
                        )
                    else:
                        rendered = render.write(
                            briefing,
                            written[output],
                            template=template,
                            snapshot=made,
                            workbook_name=checked.workbook.path.stem,
                            carried=carried,
                        )
                    snapshot = made()
            if released_as is not None:
                temporaries[-1].write_bytes(snapshot)  # last: a snapshot marks a complete release
            # Set aside only once the new result is ready: a build that fails leaves an edited report where it was.
            kept = () if new else tuple(filter(None, (kept_aside(path, _holds_comments) for path in (output, marked))))
        if not new:
            for path in paths:
                record_written(path)
    except InputError:
        raise
    except OSError as exc:
        raise CannotWrite(output, exc) from exc
    notes = (*rendered.notes, *(reviews.gone(comment) for comment in rendered.unplaced))
    return Built(checked, briefing, output, marked if redlined else None, snapshot, notes, kept)


def _printed_contents(previous: Edition) -> bool | None:
    """Whether `previous`, as printed, had a contents list: told by its briefing, the .docx it
    was read from or released beside its snapshot; None when there is none to tell."""
    from .word import contents

    printed = Path(previous.origin)
    printed = printed if printed.suffix.lower() == ".docx" else printed.with_suffix(".docx")
    return contents.listed_in(printed) if printed.is_file() else None


def _holds_comments(path: Path) -> bool:
    """Whether a .docx written before builds kept a record of it holds comments: someone's work,
    as no build wrote comments then."""
    try:
        with zipfile.ZipFile(path) as package:
            return "word/comments.xml" in package.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


@dataclass(frozen=True)
class Released:
    """What `release` did: the validation, and the edition's briefing and snapshot in
    `editions/`. `new` is False when nothing was written: problems stopped it (`checked`), or
    this edition was released before with the same content (the paths say where)."""

    checked: Checked
    briefing: Path | None
    snapshot: Path | None
    new: bool = False
    restored: bool = False  # the edition was released before, and its missing briefing written again


def release(workbook: str | Path, template: str | Path | None = None) -> Released:
    """Record the workbook's current edition in `editions/<workbook name>/` beside it: its
    briefing (.docx) and its snapshot (.json), named by as_of and edition label, to keep under
    version control. Releasing the same content again does nothing (but write again a released
    briefing that has gone missing); a label released before with other content, or none, is
    refused as a problem at the edition cell. Releases into one folder take turns: two at once
    both land, or the second finds the first's and says so."""
    workbook = Path(workbook)
    with reading(workbook, template), _taking_turns(workbook.parent / EDITIONS):
        checked = check(workbook)
        if checked.valid is None:
            return Released(checked, None, None)
        fields = BriefingFields(checked.valid.fields())
        label = fields.edition
        if not label:
            return Released(_adding(checked, edition_checks.unlabelled(checked.workbook)), None, None)
        name = editions_of(workbook) / f"{fields.as_of:%Y-%m-%d}_{edition_file_name(label)}"
        content = editions.content(checked.workbook)
        for path, edition in _releases(workbook, fields.title):
            if edition.label == label and edition.content == content:
                return _kept_release(checked, path, template)
            if edition.label == label:
                where = path.relative_to(workbook.parent)
                return Released(_adding(checked, edition_checks.label_released(checked.workbook, str(where))), None, None)
        briefing, snapshot = Path(f"{name}.docx"), Path(f"{name}.json")
        _written(checked, briefing, template, with_redline=False, released_as=snapshot, new=True)
        return Released(checked, briefing, snapshot, new=True)


def _kept_release(checked: Checked, snapshot: Path, template) -> Released:
    """The same content released before as `snapshot`: its briefing written again where it has
    gone missing (the same bytes, as a released edition builds again as it was); refused,
    saying what to do, where something else stands in its place."""
    briefing = snapshot.with_suffix(".docx")
    if not os.path.lexists(briefing):
        _written(checked, briefing, template, with_redline=False, new=True)
        return Released(checked, briefing, snapshot, restored=True)
    from .word import customxml

    try:
        held = customxml.read(briefing) if briefing.is_file() and not briefing.is_symlink() else None
    except InputError:
        held = None
    if held != snapshot.read_bytes():
        raise InputError(
            f"{briefing} is not the briefing released with {snapshot.name}: it is damaged, replaced or a link. "
            f"Restore it from version control (git checkout -- {briefing.name}), or remove it and release again to write it anew."
        )
    return Released(checked, briefing, snapshot)


@contextmanager
def _taking_turns(folder: Path):
    """Hold the editions folder to this release until it is done: another release into it
    waits, and then sees what this one released."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # which lets go of the lock


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
        data = editions.SNAPSHOT.read(path)
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
# A label kept as it is in a file name: letters, digits, dots and hyphens, not too long.
_PLAIN_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]|\.(?!\.))*")
_LABEL_AT_MOST = 60


def edition_file_name(label: str) -> str:
    """`edition-1`: the label as a file name. One that must change to be one (spaces, slashes,
    other scripts) or is long is shortened and given a hash of the label, so that every distinct
    label has a name of its own ("No. 7" and "No 7" too)."""
    if _PLAIN_LABEL.fullmatch(label) and len(label) <= _LABEL_AT_MOST:
        return f"edition-{label}"
    kept = re.sub(r"[^A-Za-z0-9.]+", "-", label).strip("-.")[:_LABEL_AT_MOST].strip("-.")
    digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"edition-{kept}-{digest}" if kept else f"edition-{digest}"


def _releases(workbook: Path, title: object, day: str | None = None) -> list[tuple[Path, Edition]]:
    """The editions of `workbook` (whose briefing is titled `title`) released, in the order they
    were released: by as_of, and on one day each after the edition it was compared with. With
    `day` (2022-08-31), only those released as of that day, the others left unread."""
    found = [(path, edition) for path in _released_files(workbook, day) if (edition := _released(path, title)) is not None]
    names = {(e.label, e.as_of): e for _, e in found}

    def depth(edition: Edition) -> int:
        seen = 0
        while edition.since is not None and edition.since[1] == edition.as_of and edition.since in names and seen < len(names):
            edition, seen = names[edition.since], seen + 1
        return seen

    return sorted(found, key=lambda pair: (pair[1].as_of, depth(pair[1])))


def _released_files(workbook: Path, day: str | None = None) -> list[Path]:
    """The snapshots that may be `workbook`'s, by name (as_of first): those in its own folder,
    and those released before editions had folders, straight in `editions/` (`_released`
    tells whose they are)."""
    found = []
    for folder in (editions_of(workbook), workbook.parent / EDITIONS):
        if folder.is_dir():
            found += [
                p for p in folder.iterdir() if _RELEASED.fullmatch(p.name) and (day is None or p.name.startswith(f"{day}_"))
            ]
    return sorted(found, key=lambda path: path.name)


def _released(path: Path, title: object) -> Edition | None:
    """The edition the snapshot at `path` holds; None when it is another briefing's: one released
    straight in `editions/` (before each workbook had a folder) is the one whose briefing has
    the same `title`. Its name must carry its own as_of, which decides which is latest."""
    edition = read_edition(path)
    if edition.as_of.isoformat() != path.name[:10]:
        raise InputError(
            f"{path} is named as of {path.name[:10]} but holds the edition of {edition.as_of.isoformat()}; a snapshot is "
            "named by its own as_of, which decides which edition is the latest. Restore it from version control."
        )
    if path.parent.name == EDITIONS and edition.fields().get("title") != title:
        return None
    return edition


def _latest_release(workbook: Path, loaded: LoadedWorkbook) -> Edition | None:
    """The edition to compare `loaded` (the workbook at `workbook`) with: the latest released, or,
    when the workbook is that very edition (its label and content), the one that edition was
    compared with, so that building a released edition again gives the same briefing."""
    fields = loaded.fields()
    # Only the latest day's snapshots are read, and the one it was compared with: a desk's
    # folder holds years of editions, and every check would read them all.
    released = []
    for day in sorted({path.name[:10] for path in _released_files(workbook)}, reverse=True):
        released = _releases(workbook, fields.get("title"), day=day)
        if released:
            break
    if not released:
        return None
    latest = released[-1][1]
    if latest.label != fields.get("edition") or latest.content != editions.content(loaded):
        return latest
    if latest.since is None:
        return None
    label, as_of = latest.since
    earlier = [e for _, e in released[:-1]]
    if as_of != latest.as_of:  # released on an earlier day: under its own name, or anywhere
        name = f"{as_of:%Y-%m-%d}_{edition_file_name(label)}.json" if label else None
        named = [p for p in (editions_of(workbook) / name, workbook.parent / EDITIONS / name) if p.is_file()] if name else []
        earlier = [read_edition(named[0])] if named else [e for _, e in _releases(workbook, fields.get("title"))]
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


def frames(workbook: str | Path | Checked, errors: str = "raise") -> dict[str, pandas.DataFrame]:
    """The workbook's sheets as pandas DataFrames, by sheet name, typed by the contract and
    indexed by the workbook's row number (see `dataframes`). `workbook` is a path, or what
    `check` returned for it; or a released edition (its snapshot, .json, or its briefing, .docx),
    framed as it was released. A workbook with errors raises WorkbookHasErrors, as it builds no
    briefing; with errors="keep" its rows are framed all the same, a cell that could not be read
    left blank, and a `problems` column names each row's problems (a problem of no row, such as
    a missing column, is in `checked.problems` only)."""
    if errors not in ("raise", "keep"):
        raise ValueError(f'errors is "raise" or "keep", not {errors!r}')
    from . import dataframes  # here: pandas is loaded only when frames are asked for

    if not isinstance(workbook, Checked) and Path(workbook).suffix.lower() in (".json", ".docx"):
        return dataframes.of(read_edition(Path(workbook)))
    checked = workbook if isinstance(workbook, Checked) else check(workbook)
    valid = checked.valid
    if errors == "keep":
        return dataframes.of(valid or checked.workbook, _problems_by_row(checked))
    if valid is None:
        raise WorkbookHasErrors(checked)
    return dataframes.of(valid)


def _problems_by_row(checked: Checked) -> dict[tuple[str, int], tuple[str, ...]]:
    """Each row's problems, by contract sheet name and row number: `D7 [not-a-number] value holds ...`."""
    contract_names = {data.title: name for name, data in checked.workbook.sheets.items()}
    found: dict[tuple[str, int], tuple[str, ...]] = {}
    for problem in checked.problems:
        name = contract_names.get(problem.sheet or "")
        if name is not None and problem.row is not None:
            key = (name, problem.row)
            found[key] = (*found.get(key, ()), f"{problem.cell or problem.location} [{problem.code}] {problem.message}")
    return found


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
