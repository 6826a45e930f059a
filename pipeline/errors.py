"""Whose fault a failure is. An `InputError` is the user's input or machine (an unreadable
workbook or template, a file that cannot be written): the command line says what to do and
exits 2. Anything else that escapes is a fault of the pipeline itself (exit 3)."""

import errno


class InputError(Exception):
    """The input or the environment is at fault; the message names the file and what to do."""


class WorkbookUnreadable(InputError):
    """The file cannot be read as a workbook at all."""


class TemplateUnreadable(InputError):
    """The template is not a Word document the briefing can take its look from."""


class CannotWrite(InputError):
    """An output could not be written: no permission, no space, a limit on file size."""

    def __init__(self, path, error: OSError):
        advice = _WRITE_ADVICE.get(error.errno, "")
        super().__init__(f"could not write {path}: {error.strerror or error}.{advice}")
        self.path = path


# What to do when the machine refuses to write, by the reason it gives.
_WRITE_ADVICE: dict[int | None, str] = {
    errno.ENOSPC: " The disk is full: free some space, or write to another disk.",
    errno.EDQUOT: " Your disk quota is used up: free some space, or write to another disk.",
    errno.EFBIG: " The file is larger than this session may write (ulimit -f): raise the limit, or write elsewhere.",
    errno.EACCES: " Write to a folder you may write to, or ask for write permission.",
    errno.EPERM: " Write to a folder you may write to, or ask for write permission.",
    errno.EROFS: " That disk is read-only: write to another folder.",
}
