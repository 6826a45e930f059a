# The analysts' day: edit the workbook, `make report`, send the .docx.
# The first run creates the environment (.venv) from pyproject.toml; nothing else is needed.

WORKBOOK ?= inputs/russia_iran_ties.xlsx
# The house style comes from this Word document when it exists (see README.md, "Restyling"); one
# given as TEMPLATE=path must exist.
TEMPLATE ?= inputs/template.docx
# make reports builds every workbook in this folder.
INPUTS ?= inputs

# Paths reach the shell quoted ($(call quote,PATH)), so a name holding quotes, backticks or ;
# runs no command. A space is carried too: escaped where a rule names the file, and standing
# as ^ while make's name functions work on it (they split names at spaces). A $ (make expands
# it) or a character make's rules give a meaning is refused here, before anything is read or
# run, with what to do instead.
quote = '$(subst ','\'',$(1))'
space := $(subst ,, )
unspaced = $(subst $(space),^,$(1))
spaced = $(subst ^,$(space),$(1))
rule_name = $(subst $(space),\$(space),$(1))
open_paren := (
close_paren := )
MAKE_SPECIAL := : ; | % \# * ? [ ] ^ $(open_paren) $(close_paren)
unsafe = $(if $(findstring $$,$(value $(1))),'$$',$(patsubst %,'%',$(firstword $(foreach c,$(MAKE_SPECIAL),$(findstring $(c),$(value $(1)))))))
$(foreach path,WORKBOOK TEMPLATE SINCE REVIEWED,$(if $(call unsafe,$(path)),$(error $(path)=$(value $(path)) holds $(call unsafe,$(path)), which make cannot pass on safely. Rename the file without it, or run the command line yourself, quoting the path: .venv/bin/python -m pipeline build "PATH" -o reports/NAME.docx)))
REPORTS  := reports
NAME     := $(call spaced,$(basename $(notdir $(call unspaced,$(WORKBOOK)))))
REPORT   := $(REPORTS)/$(NAME).docx
PROBLEMS := $(REPORTS)/$(NAME).problems.xlsx
PDF      := $(REPORTS)/$(NAME).pdf
# Released editions live beside the workbook (make release); make report compares with the
# latest and writes the redline, CHANGES. Another edition: make report SINCE=path.docx (or .json).
EDITIONS := $(call spaced,$(dir $(call unspaced,$(WORKBOOK))))editions
CHANGES  := $(REPORTS)/$(NAME).changes.docx
# make review REVIEWED=path.docx: an editor's remarks onto the workbook's cells, in REVIEW_COPY; the
# comments left open wait in OPEN_COMMENTS, which the next report puts back on their items.
REVIEWED ?=
REVIEW_COPY := $(REPORTS)/$(NAME).review.xlsx
OPEN_COMMENTS := $(REPORTS)/$(NAME).review.json
USED_OPEN_COMMENTS := $(if $(shell [ -f $(call quote,$(OPEN_COMMENTS)) ] && echo yes),$(OPEN_COMMENTS))
SINCE    ?=
# The page of the sample briefing the README shows.
PREVIEW  := docs/briefing-page.png
PREVIEW_PAGE ?= 2
# And of a second edition of it: its changes section, and a few statements in its redline.
EDITION_PREVIEWS := docs/changes-page.png docs/redline-page.png
PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
# The environment is rebuilt when the project's dependencies change.
READY    := $(VENV)/.installed
CODE     := $(wildcard pipeline/*.py pipeline/*/*.py)
# A TEMPLATE given (on the command line or in the environment) is used, and one that is not there
# stops the build; the default is used only when it is there.
TEMPLATE_GIVEN := $(filter command% environment%,$(origin TEMPLATE))
USED_TEMPLATE := $(if $(TEMPLATE_GIVEN)$(shell [ -f $(call quote,$(TEMPLATE)) ] && echo yes),$(TEMPLATE))
# $(call stopped,COMMAND) ends a recipe line: when the tool fails, its own message stands above and
# this says once which command stopped, with the tool's exit code and what it means.
stopped = || { code=$$?; case $$code in \
	1) why="the workbook has errors, listed above: fix them and run it again";; \
	2) why="a file could not be read or written, as said above";; \
	3) why="a fault in the pipeline, not in your files: report the message above";; \
	*) why="interrupted";; esac; \
	echo "make $(1) stopped (exit $$code): $$why." >&2; exit $$code; }

.PHONY: help new report reports release review pdf preview validate check test test-fast lint sample sample-check docs bench clean distclean FORCE
.DEFAULT_GOAL := help

help:
	@echo "make new        a blank workbook at" $(call quote,$(WORKBOOK)) "(give WORKBOOK=inputs/NAME.xlsx), with its Instructions sheet"
	@echo "make report     validate" $(call quote,$(WORKBOOK)) "and write" $(call quote,$(REPORT)) "(and" $(call quote,$(CHANGES)) "once an edition is released)"
	@echo "make reports    every workbook in $(INPUTS)/, each its own report (in parallel with make -j)"
	@echo "make release    record this edition, its briefing and snapshot, in" $(call quote,$(EDITIONS)/$(NAME)/)
	@echo "make review REVIEWED=path.docx   an editor's comments and changes onto the workbook's cells:" $(call quote,$(REVIEW_COPY))
	@echo "make pdf        the briefing as PDF, through LibreOffice:" $(call quote,$(PDF))
	@echo "make preview    the README's pictures of the sample: $(PREVIEW) $(EDITION_PREVIEWS)"
	@echo "make validate   check the workbook only, listing every problem"
	@echo "make check      validate, and write" $(call quote,$(PROBLEMS))": a copy of the workbook with each problem highlighted"
	@echo "make test       run the test suite, on every core"
	@echo "make test-fast  the tests a change is checked with as it is made: all but the slow and the real-reader ones"
	@echo "make lint       ruff's checks and its formatting, and mypy's type check"
	@echo "make sample     write inputs/russia_iran_ties.xlsx again from inputs/russia_iran_ties.py, setting aside the desk's edits"
	@echo "make sample-check   whether inputs/russia_iran_ties.xlsx is still what inputs/russia_iran_ties.py writes"
	@echo "make docs       regenerate the contract and problem tables of docs/reference.md from the code"
	@echo "make bench      time the pipeline on a large generated workbook"
	@echo "make clean      remove generated reports; distclean also removes .venv"
	@echo "Another workbook: make report WORKBOOK=path/to/book.xlsx (release, check and validate take WORKBOOK= too)"

# Installed editable as a path in a .pth file (compat): the default for a project laid out flat
# installs an import hook that Python loads at every start, 13 ms of every run of the pipeline.
$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --editable '.[test,lint]' --config-settings editable_mode=compat
	@touch $@

report: $(call rule_name,$(REPORT))

# Rebuilt only when the workbook, the template, the code or the released editions changed (always
# with SINCE): the editions folders, for a snapshot added or removed, and each snapshot, for one
# edited in place. The workbook's own (editions/NAME/) and those released before each workbook had
# a folder (editions/). The cli writes the .docx and its redline together, so a failed build leaves
# both as they were.
USED_EDITIONS := $(foreach folder,$(EDITIONS) $(EDITIONS)/$(NAME),$(if $(shell [ -d $(call quote,$(folder)) ] && echo yes),$(call rule_name,$(folder))))
SNAPSHOTS := $(shell for f in $(call quote,$(EDITIONS))/*.json $(call quote,$(EDITIONS)/$(NAME))/*.json; do [ -f "$$f" ] && printf '%s\n' "$$f" | sed 's/ /\\ /g'; done)
$(call rule_name,$(REPORT)): $(READY) $(call rule_name,$(WORKBOOK)) $(CODE) $(call rule_name,$(USED_TEMPLATE)) $(USED_EDITIONS) $(SNAPSHOTS) $(call rule_name,$(USED_OPEN_COMMENTS)) $(if $(SINCE),FORCE)
	@mkdir -p $(call quote,$(REPORTS))
	@$(PY) -m pipeline build $(call quote,$(WORKBOOK)) -o $(call quote,$@) $(if $(USED_TEMPLATE),--template $(call quote,$(USED_TEMPLATE))) $(if $(SINCE),--since $(call quote,$(SINCE))) $(call stopped,report)

# Every workbook in INPUTS, each built as `make report WORKBOOK=...` builds it: its own report,
# redline and editions (editions/<name>/). Independent, so make -j builds them side by side.
# Excel's lock files (~$$name.xlsx) are not workbooks; a name make cannot carry is named and skipped.
list_workbooks = for f in $(call quote,$(INPUTS))/*.xlsx; do \
	[ -f "$$f" ] || continue; \
	case "$${f\#\#*/}" in '~$$'*$(close_paren) continue;; esac; \
	if printf '%s\n' "$$f" | grep -q '[]:;|%\#*?^$(open_paren)$(close_paren)$$[]'; then \
	  printf 'make reports skips %s: make cannot carry its name. Rename it.\n' "$$f" >&2; \
	else printf '%s\n' "$$f" | tr ' ' '^'; fi; done
ALL_WORKBOOKS := $(if $(filter reports,$(MAKECMDGOALS)),$(shell $(list_workbooks)))
reports: $(addprefix report-of/,$(ALL_WORKBOOKS))
	$(if $(ALL_WORKBOOKS),,@echo "No workbook in $(INPUTS)/: put the .xlsx files there, or build one with make report WORKBOOK=path." >&2; exit 1)

report-of/%: $(READY) FORCE
	@$(MAKE) --no-print-directory report WORKBOOK=$(call quote,$(call spaced,$*))

# A blank workbook that follows the contract, never over an existing file: a desk's next briefing.
new: $(READY)
	@$(PY) -m pipeline init $(call quote,$(WORKBOOK)) $(call stopped,new)

# The edition as it stands, kept in the editions folder for later editions to compare with; the
# same content twice is a no-op.
release: $(READY)
	@$(PY) -m pipeline release $(call quote,$(WORKBOOK)) $(if $(USED_TEMPLATE),--template $(call quote,$(USED_TEMPLATE))) $(call stopped,release)

FORCE:

# Always run: each review is read afresh. The workbook is only read.
review: $(READY)
	@$(if $(REVIEWED),,echo "Say which reviewed briefing to read: make review REVIEWED=path/to/reviewed.docx" >&2; exit 2)
	@mkdir -p $(call quote,$(REPORTS))
	@$(PY) -m pipeline review $(call quote,$(REVIEWED)) $(call quote,$(WORKBOOK)) --reports $(call quote,$(REPORTS)) $(call stopped,review)

# $(call need,PROGRAM,DEBIAN PACKAGES): install the packages where this machine can (Debian or
# Ubuntu, as root), or stop with a message that says what to install.
need = command -v $(1) >/dev/null 2>&1 || { \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing $(2) for $(1)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(2) >/dev/null; \
	else \
	  echo "$(1) is not installed. Install $(2) (Debian/Ubuntu: sudo apt-get install $(2);" \
	    "elsewhere LibreOffice from libreoffice.org, poppler from your package manager), then run make again." >&2; \
	  exit 1; \
	fi; }

pdf: $(call rule_name,$(PDF))

# LibreOffice, with the open metric twins of the fonts the house style names, and DejaVu for
# the Arabic, Persian and Cyrillic letters the twins lack.
$(call rule_name,$(PDF)): $(call rule_name,$(REPORT)) pipeline/word/pdf.py
	@$(call need,soffice,libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core)
	$(PY) -m pipeline.word.pdf $(call quote,$<) $(call quote,$@)

preview: $(PREVIEW) $(EDITION_PREVIEWS)

$(EDITION_PREVIEWS) &: $(READY) $(CODE) inputs/russia_iran_ties.py docs/changes_preview.py
	@$(call need,soffice,libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea)
	@$(call need,pdftoppm,poppler-utils)
	$(PY) -m docs.changes_preview docs

$(PREVIEW): $(call rule_name,$(PDF))
	@$(call need,pdftoppm,poppler-utils)
	@mkdir -p $(call quote,$(dir $@))
	pdftoppm -png -r 80 -f $(PREVIEW_PAGE) -l $(PREVIEW_PAGE) -singlefile $(call quote,$<) $(call quote,$(basename $@))

# A workbook that is not there gets the cli's own message rather than make's "No rule".
$(call rule_name,$(WORKBOOK)): | $(READY)
	@$(PY) -m pipeline validate $(call quote,$@) $(call stopped,report)

# And a TEMPLATE given that is not there, a message of its own (exit 2, as the cli's for a missing file).
$(if $(TEMPLATE_GIVEN),$(call rule_name,$(TEMPLATE))):
	@echo "error: the template "$(call quote,$(TEMPLATE))" does not exist. Check the path given as TEMPLATE, or leave TEMPLATE out for the house style." >&2; exit 2

validate: $(READY)
	@$(PY) -m pipeline validate $(call quote,$(WORKBOOK)) $(call stopped,validate)

# Always run: the analyst wants the current problems, whether or not the workbook changed.
check: $(READY)
	@mkdir -p $(call quote,$(REPORTS))
	@$(PY) -m pipeline validate $(call quote,$(WORKBOOK)) --annotate $(call quote,$(PROBLEMS)) $(call stopped,check)

# The tests are spread over the machine's cores (pytest-xdist), each worker sent the next tests
# of the list, slow ones first (conftest), as it finishes its own, so that the run ends on short
# tests with every core busy: work stealing gave one worker the first half of the list, and
# make test ended on LibreOffice's tests on one worker some 5 s after the other (now 0.6 s).
# Markers: pyproject.toml.
# Compiled modules are kept (in __pycache__, which git ignores and make clean removes) even where
# PYTHONDONTWRITEBYTECODE is set, as in many containers: else every worker compiles the tests and
# rewrites their asserts afresh, and each of the hundreds of command lines the tests run compiles
# the pipeline, some 9 s of CPU a run.
# The tests' temporary files (TMPDIR: pytest's folders, and those of the programs the tests run)
# go in memory where the machine has a folder there that holds a gigabyte and runs programs (as
# the make tests do from it), as Linux's /dev/shm: on a disk, each of the thousands of files the
# tests write and remove, and each fsync of an output put in place, waits on it (make test-fast
# some 20 s against 25). TEST_TMPDIR= keeps the system's.
TEST_TMPDIR ?= $(shell d=/dev/shm; [ -d $$d ] && [ -w $$d ] && grep -qs "^[^ ]* $$d tmpfs " /proc/mounts \
	&& ! grep -s "^[^ ]* $$d " /proc/mounts | grep -q noexec \
	&& [ "$$(df -Pk $$d | awk 'NR == 2 {print $$4}')" -gt 1048576 ] && echo $$d)
TEST_WORKERS ?= auto
PYTEST = $(if $(TEST_TMPDIR),TMPDIR=$(call quote,$(TEST_TMPDIR)) )PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n $(TEST_WORKERS) --dist load

test: $(READY)
	$(PYTEST)

test-fast: $(READY)
	$(PYTEST) -m "not slow and not reader and not shipped"

LINTED := pipeline tests benchmarks docs inputs

lint: $(READY)
	$(PY) -m ruff check $(LINTED)
	$(PY) -m ruff format --check $(LINTED)
	$(PY) -m mypy pipeline

# The tests never read inputs/russia_iran_ties.xlsx, the desk's working copy, but their own,
# written from the same script; this puts the shipped sample back as the script writes it.
sample: $(READY)
	$(PY) -m inputs.russia_iran_ties

# Whether the shipped sample is still what its script writes: CI asks, on a fresh clone.
sample-check: $(READY)
	$(PY) -m pytest -q -m shipped

docs: $(READY)
	$(PY) -m pipeline.docs docs/reference.md

bench: $(READY)
	$(PY) benchmarks/bench_pipeline.py

clean:
	rm -rf $(REPORTS) .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
