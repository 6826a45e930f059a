"""Zip packages as inputs, the workbook (.xlsx) and the template (.docx) alike.

Only a regular file is opened: a pipe would hang the read and a device would never end it. The
zip's own directory is checked against size and ratio limits before anything is inflated, so
that a small file unpacking to gigabytes (a zip bomb) is refused unread. XML is parsed without
DTDs, entities or the network. Neither side's knowledge lives here: each describes its input
once, as an `InputKind`, and gets its own error and words back.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import InputError

# Real workbooks and Word documents compress 5–30 times; a part a thousand times smaller packed
# than unpacked, or a package unpacking to over a gigabyte, is not one an analyst saved.
MAX_UNPACKED_BYTES = 1 << 30
MAX_RATIO = 200
_RATIO_APPLIES_ABOVE = 10 << 20


@dataclass(frozen=True)
class InputKind:
    """One kind of input package, as its messages name it."""

    noun: str  # "workbook"
    error: type[InputError]  # what a refusal raises
    program: str  # the program that saves it again: "Excel"
    missing: str  # what to do about a path that does not exist
    too_big: str  # what to do about a package over the limits, if it is a real one

    def refuse(self, message: str) -> InputError:
        return self.error(message)


_SPECIAL = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_head(path: Path, kind: InputKind, size: int = 8) -> bytes:
    """The first `size` bytes of `path`, which must be a regular file this user may read.
    Anything else is refused at once, before it is opened: opening a pipe waits for a writer,
    and reading a device such as /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise kind.refuse(f"{path} does not exist. {kind.missing}") from None
    except OSError as exc:
        raise kind.refuse(_unreadable(path, exc, kind)) from None
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
        pipe = " A package cannot be read from a pipe: save it to a file first." if stat.S_ISFIFO(mode) else ""
        raise kind.refuse(f"{path} is {what}, not a {kind.noun}. Give the path of the {kind.noun} file itself.{pipe}")
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise kind.refuse(_unreadable(path, exc, kind)) from None


def _unreadable(path: Path, exc: OSError, kind: InputKind) -> str:
    if isinstance(exc, PermissionError):
        return (
            f"{path} cannot be read: permission denied. Check who may read it (ls -l), "
            f"or copy the {kind.noun} to a folder of yours and give that path."
        )
    return f"{path} cannot be read: {exc.strerror or exc}. Check the disk or copy the {kind.noun} elsewhere, and try again."


@contextmanager
def opened(path: Path, kind: InputKind):
    """The package at `path` as a zip file, its directory within the limits. A package the zip
    reader cannot read, here or while the block reads its parts, is refused as damaged."""
    try:
        with zipfile.ZipFile(path) as package:
            check_limits(package, path, kind)
            yield package
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise kind.refuse(
            f"{path} is damaged (its zip package cannot be read: {exc}). Save it again from {kind.program}."
        ) from exc
    except OSError as exc:
        raise kind.refuse(_unreadable(path, exc, kind)) from exc


def check_limits(package: zipfile.ZipFile, path: Path, kind: InputKind) -> None:
    """Refuse a package whose directory says it unpacks to more than MAX_UNPACKED_BYTES, or
    holds a large part compressed more than MAX_RATIO times."""
    entries = package.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    inflated = [e for e in entries if e.file_size > _RATIO_APPLIES_ABOVE and e.file_size > MAX_RATIO * max(e.compress_size, 1)]
    if unpacked > MAX_UNPACKED_BYTES or inflated:
        raise kind.refuse(
            f"{path} would unpack to {unpacked / (1 << 20):,.0f} MB"
            f"{f' and is compressed far more than a real {kind.noun} is' if inflated else ''}; "
            f"it is refused unread, as it looks like a zip bomb. {kind.too_big}"
        )


class DTDRefused(ValueError):
    """A part declares a DTD: neither Excel nor Word writes one, and entities are how XML attacks work."""

    def __init__(self):
        super().__init__("a part declares a DTD, which Excel and Word never write; it is refused as a possible XML attack")


# How every part is parsed: no DTD is loaded, no entity expanded, nothing fetched.
_SAFELY = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _parser(**options) -> etree.XMLParser:
    return etree.XMLParser(**_SAFELY, **options)


def parse(data: bytes, lookup: etree.ElementClassLookup | None = None):
    """A whole part's root element. `lookup` gives elements a library's classes (python-docx's)."""
    parser = _parser(remove_blank_text=True)
    if lookup is not None:
        parser.set_element_class_lookup(lookup)
    root = etree.fromstring(data, parser)
    if root.getroottree().docinfo.doctype:
        raise DTDRefused()
    return root


def iterparse(source, **options):
    """lxml's `iterparse` over a part, parsing as every part is parsed."""
    return etree.iterparse(source, **_SAFELY, **options)


def elements(source, *tags: str):
    """Each element of `source` with one of `tags`, complete, then released along with those
    before it, so that memory stays flat however long the part is. A part that declares a
    DTD is refused."""
    checked = False
    for _, element in iterparse(source, events=("end",), tag=tags):
        if not checked:
            if element.getroottree().docinfo.doctype:
                raise DTDRefused()
            checked = True
        yield element
        release(element)


def release(element) -> None:
    """Free an element streamed to its end, and those before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def declares_dtd(source) -> bool:
    """Whether the part `source` declares a DTD, read no further than its first element. A
    part that is not XML (a picture) declares none."""
    try:
        for _, element in iterparse(source, events=("start",)):
            return bool(element.getroottree().docinfo.doctype)
    except etree.XMLSyntaxError:
        return False
    return False
