"""The command line: `python -m pipeline validate|build|release|diff|init`.

A thin shell over the library (`pipeline.check`, `build`, `release`, `diff`, `init`): it parses
arguments, prints what happened and chooses the exit code. Exit codes: 0 valid (warnings
allowed), 1 the workbook has errors, 2 the input or the machine is at fault (a file that cannot
be read or written, a full disk, a wrong command), 3 a fault in the pipeline itself, 130
interrupted (Ctrl-C), 143 stopped (SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import library
from .briefing.editions import KINDS, ChangeKind, Comparison, ItemKind
from .briefing.wording import ARROW, edition_name, rewording
from .catalogue import Problem, Severity, errors
from .errors import CannotWrite, InputError
from .files import Stopped, stopping_on_sigterm
from .formats import clipped_at_word, some, visible, visible_json

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_FAULT = 0, 1, 2, 3
# As a shell reports a command ended by Ctrl-C (128 + SIGINT) or by kill (128 + SIGTERM).
EXIT_INTERRUPTED, EXIT_STOPPED = 130, 143


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with stopping_on_sigterm():
            return args.run(args)
    except InputError as exc:
        _say(f"error: {exc}")
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        _say("Interrupted; nothing was written.")
        return EXIT_INTERRUPTED
    except Stopped:
        _say("Stopped (SIGTERM); nothing was written.")
        return EXIT_STOPPED
    except Exception as exc:  # a bug of ours: say so plainly, keep the details for whoever fixes it
        if os.environ.get("BRIEFING_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc}")
        _say(
            "This is a fault in the pipeline, not in your workbook; nothing was written. "
            "Run again with BRIEFING_DEBUG=1 set to see the details, and report them."
        )
        return EXIT_FAULT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Validate the analysts' workbook and build the Word briefing from it.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check a workbook and list every problem")
    check.add_argument("workbook", type=Path)
    check.add_argument("--format", choices=("text", "json"), default="text", help="how to print the problems")
    check.add_argument(
        "--annotate",
        type=Path,
        metavar="OUT.xlsx",
        help="also write a copy of the workbook with each problem cell highlighted and commented, "
        "and a first sheet listing every problem with a link to its cell",
    )
    _since(check)
    check.set_defaults(run=_validate)

    build = commands.add_parser("build", help="validate a workbook, then write the briefing")
    build.add_argument("workbook", type=Path)
    build.add_argument("-o", "--output", type=Path, required=True, help="the .docx to write")
    build.add_argument(
        "--template",
        type=Path,
        metavar="DOCX",
        help="take styles, page, header and footer look from this Word document (make uses inputs/template.docx if present)",
    )
    _since(build)
    build.set_defaults(run=_build)

    release = commands.add_parser(
        "release",
        help="record the workbook's current edition (its briefing and snapshot) in editions/ beside it",
    )
    release.add_argument("workbook", type=Path)
    release.add_argument("--template", type=Path, metavar="DOCX", help="as for build")
    release.set_defaults(run=_release)

    diff = commands.add_parser("diff", help="what changed between an edition and a later one, by id")
    diff.add_argument("old", type=Path, help="an edition: a briefing this pipeline wrote (.docx) or its snapshot (.json)")
    diff.add_argument("new", type=Path, help="a later edition (.docx, .json), or a workbook (.xlsx)")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="how to print the changes")
    diff.set_defaults(run=_diff)

    review = commands.add_parser(
        "review", help="read an editor's comments and changes in a briefing back onto the workbook's cells"
    )
    review.add_argument("reviewed", type=Path, help="the briefing (.docx) as the editor returned it")
    review.add_argument("workbook", type=Path, nargs="?", help="the workbook it was built from (default: inputs/<its name>.xlsx)")
    review.add_argument("--format", choices=("text", "json"), default="text", help="how to print the remarks")
    review.add_argument(
        "--reports", type=Path, default=Path("reports"), help="where to write <name>.review.xlsx and .review.json"
    )
    review.set_defaults(run=_review)

    init = commands.add_parser("init", help="write a blank workbook that follows the contract")
    init.add_argument("path", type=Path)
    init.set_defaults(run=_init)
    return parser


def _since(command) -> None:
    command.add_argument(
        "--since",
        type=Path,
        metavar="EDITION",
        help="the previous edition to compare with: a briefing this pipeline wrote (.docx) or a released snapshot "
        "(.json); by default the latest edition released in editions/ beside the workbook",
    )


def _validate(args) -> int:
    checked = library.check(args.workbook, annotated_copy=args.annotate, since=args.since)
    if args.annotate is not None:
        _say(f"Wrote {args.annotate}: the problems highlighted in a copy of the workbook, listed on its first sheet.")
    problems = checked.problems
    if args.format == "json":
        report = {
            "workbook": str(args.workbook),
            "errors": len(checked.errors),
            "warnings": len(checked.warnings),
            "issues": [p.as_dict() for p in problems],
        }
        print(visible_json(json.dumps(report, ensure_ascii=False, indent=2)))
    else:
        _print_problems(problems, args.workbook, stream=sys.stdout)
    return EXIT_INVALID if checked.errors else EXIT_OK


def _build(args) -> int:
    try:
        built = library.build(args.workbook, args.output, template=args.template, since=args.since)
    except CannotWrite as exc:
        _say(f"error: {exc} No briefing written{_kept(args.output)}.")
        return EXIT_UNREADABLE
    except InputError as exc:
        _say(f"error: {exc} No briefing written{_kept(args.output)}.")
        return EXIT_UNREADABLE
    _print_problems(built.checked.problems, args.workbook, stream=sys.stderr, quiet_if_clean=True)
    briefing = built.briefing
    if not built.written or briefing is None:
        _say(f"No briefing written{_kept(args.output)}. Fix the errors above and run again.")
        return EXIT_INVALID
    counts = (
        (len(briefing.sections), "chapter"),
        (sum(len(s.statements) for s in briefing.sections), "statement"),
        (sum(len(s.figures) for s in briefing.sections), "figure"),
        (len(briefing.chronology), "event"),
        (len(briefing.sources), "source"),
    )
    for kept in built.kept:
        _say(f"An output had been changed since it was built (a review, perhaps): kept as {kept}, not written over.")
    _say(f"Wrote {args.output}: {', '.join(_count(n, noun) for n, noun in counts)}.")
    previous = built.checked.previous
    if built.redline is not None and previous is not None:
        _say(f"Compared with {edition_name(previous.label, previous.as_of)}: the changes are marked in {built.redline}.")
    for note in built.notes:
        _say(f"note: {note}")
    return EXIT_OK


def _review(args) -> int:
    from . import reviews

    found = reviews.review(args.reviewed, args.workbook, args.reports)
    for note in found.notes:
        _say(f"note: {note}")
    if args.format == "json":
        print(visible_json(json.dumps([p.as_json() for p in found.remarks], ensure_ascii=False, indent=2)))
        _say(f"Wrote {found.copy}; the open comments go back into the next build ({found.carried}).")
    else:
        print(reviews.text_report(found))
    return EXIT_OK


def _release(args) -> int:
    released = library.release(args.workbook, template=args.template)
    _print_problems(released.checked.problems, args.workbook, stream=sys.stderr, quiet_if_clean=True)
    if released.checked.errors:
        _say("Nothing released. Fix the errors above and run again.")
        return EXIT_INVALID
    if released.restored:
        _say(f"This edition was released already; its briefing had gone missing and is written again: {released.briefing}.")
        return EXIT_OK
    if not released.new:
        _say(
            f"This edition was released already, with the same content: {released.briefing} and {released.snapshot}. Nothing to do."
        )
        return EXIT_OK
    _say(
        f"Released {released.briefing} and its snapshot, {released.snapshot}. Keep them under version control with the workbook."
    )
    return EXIT_OK


def _diff(args) -> int:
    compared = library.diff(args.old, args.new)
    if compared.comparison is None:
        if compared.checked is not None:  # the workbook compared has errors
            _print_problems(compared.checked.problems, args.new, stream=sys.stderr)
        _say("The workbook has errors, so it cannot be compared. Fix them and run again.")
        return EXIT_INVALID
    if args.format == "json":
        print(visible_json(json.dumps(compared.comparison.as_dict(), ensure_ascii=False, indent=2, allow_nan=False)))
    else:
        for line in _changes_text(compared.comparison):
            print(visible(line))
    return EXIT_OK


# How `diff` heads each kind of change: the sheet its rows are on.
_GROUPS = {ItemKind.KEY_JUDGEMENT: "Key judgements (Statements)", **{kind: sheet for sheet, kind in KINDS.items()}}
# A value longer than this, in characters, is shortened in a revision.
_SHOWN_AT_MOST = 60


def _changes_text(comparison: Comparison) -> list[str]:
    """The changes, grouped by kind, one line per id: `  F02  revised: value 14.8 → 15.2`."""
    old, new = edition_name(comparison.old.label, comparison.old.as_of), edition_name(comparison.label, comparison.as_of)
    lines = [f"From {old} to {new}: {_count(len(comparison.changes), 'change')}."]
    width = max((len(c.id) for c in comparison.changes), default=0)
    for kind in ItemKind:
        changes = comparison.of(kind)
        if changes:
            lines += ["", _GROUPS[kind]]
        for change in changes:
            told = change.change + (": now names unrelated content" if change.change == ChangeKind.REPLACED else "")
            if change.columns and change.change == ChangeKind.REVISED:
                told += ": " + "; ".join(
                    _revised(column, found["old"], found["new"]) for column, found in change.as_dict()["columns"].items()
                )
            if change.note:
                told += f" (why: {_shown(change.note)})"
            lines.append(f"  {change.id:<{width}}  {told}")
    return lines


def _revised(column: str, old, new) -> str:
    """`value 14.8 → 15.2`, `qualifier blank → “about”`; a text as the briefing quotes a rewording,
    whole where it is short, else what changed with a few words around it."""
    if isinstance(old, str) and isinstance(new, str):
        return f"{column} {rewording(old, new)}"
    return f"{column} {_shown(old)} {ARROW} {_shown(new)}"


def _shown(value) -> str:
    """A value as `diff` prints it: text quoted, and shortened at a word where it is long; a list
    as its items; a blank as `blank`."""
    if value is None:
        return "blank"
    if isinstance(value, list):
        return ", ".join(map(_shown, value))
    if isinstance(value, str):
        return f"\u201c{clipped_at_word(value, _SHOWN_AT_MOST)}\u201d"
    return json.dumps(value, ensure_ascii=False)


def _kept(output: Path) -> str:
    """What stays as it was: the briefing and its redline are one result, both new or neither."""
    kept = [path for path in (output, library.redline_path(output)) if path.exists()]
    return f"; {' and '.join(map(str, kept))} {'is' if len(kept) == 1 else 'are'} unchanged" if kept else ""


def _init(args) -> int:
    library.init(args.path)
    _say(f"Wrote {args.path}: a blank workbook with an Instructions sheet. Fill it in, then run build.")
    return EXIT_OK


def _print_problems(problems: list[Problem], workbook: Path, stream, quiet_if_clean: bool = False) -> None:
    """Each problem on a line; problems with one message (one cause: an id cited by 64 cells that
    no row declares) on one line, with their count and the first of their cells. The JSON report
    and the annotated copy still list every cell."""
    alike: dict[tuple[str, str, str], list[Problem]] = {}
    for problem in problems:
        alike.setdefault((problem.severity, problem.code, problem.message), []).append(problem)
    for (severity, code, message), group in alike.items():
        where = group[0].location
        if len(group) > 1:
            where += f" and {len(group) - 1} more cell{'s' * (len(group) > 2)} ({some([p.cell if p.sheet == group[0].sheet and p.cell else p.location for p in group[1:]])})"
        _print(f"{where}: {severity} [{code}] {message}", stream)
    n_errors = len(errors(problems))
    n_warnings = len(problems) - n_errors
    if problems:
        _print(f"{workbook}: {_count(n_errors, Severity.ERROR)}, {_count(n_warnings, Severity.WARNING)}.", stream)
    elif not quiet_if_clean:
        _print(f"{workbook}: no problems found.", stream)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _say(message: str) -> None:
    _print(message, sys.stderr)


def _print(line: str, stream) -> None:
    """One line of output. What it quotes from the workbook or the file system (a cell, a
    sheet's or a file's name, what a library said about them) cannot act on the terminal:
    controls and the like are spelled out, as `\\x1b`."""
    print(visible(line), file=stream)
