"""Whose fault a failure is. An `InputError` is the user's input or machine (an unreadable
workbook or template, a file that cannot be written): the command line says what to do and
exits 2. Anything else that escapes is a fault of the pipeline itself (exit 3)."""


class InputError(Exception):
    """The input or the environment is at fault; the message names the file and what to do."""


class WorkbookUnreadable(InputError):
    """The file cannot be read as a workbook at all."""


class TemplateUnreadable(InputError):
    """The template is not a Word document the briefing can take its look from."""
