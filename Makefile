# The analysts' day: edit the workbook, `make report`, send the .docx.
# The first run creates the environment (.venv) from pyproject.toml; nothing else is needed.

WORKBOOK ?= inputs/russia_iran_ties.xlsx
# The house style comes from this Word document when it exists (see README, "Restyling").
TEMPLATE ?= inputs/template.docx
REPORTS  := reports
REPORT   := $(REPORTS)/$(basename $(notdir $(WORKBOOK))).docx
PROBLEMS := $(REPORTS)/$(basename $(notdir $(WORKBOOK))).problems.xlsx
PDF      := $(REPORT:.docx=.pdf)
# The page of the sample briefing the README shows.
PREVIEW  := docs/briefing-page.png
PREVIEW_PAGE ?= 2
PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
# The environment is rebuilt when the project's dependencies change.
READY    := $(VENV)/.installed
CODE     := $(wildcard pipeline/*.py pipeline/*/*.py)
USED_TEMPLATE := $(wildcard $(TEMPLATE))

.PHONY: help report pdf preview validate check test docs bench clean distclean
.DEFAULT_GOAL := help

help:
	@echo "make report     validate $(WORKBOOK) and write $(REPORT)"
	@echo "make pdf        the briefing as PDF, through LibreOffice: $(PDF)"
	@echo "make preview    the README's picture of one page of the sample: $(PREVIEW)"
	@echo "make validate   check the workbook only, listing every problem"
	@echo "make check      validate, and write $(PROBLEMS): a copy of the workbook with each problem highlighted"
	@echo "make test       run the test suite"
	@echo "make docs       regenerate the README's contract and problem tables from the code"
	@echo "make bench      time the pipeline on a large generated workbook"
	@echo "make clean      remove generated reports; distclean also removes .venv"
	@echo "Another workbook: make report WORKBOOK=path/to/book.xlsx"

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	@touch $@

report: $(REPORT)

# Rebuilt only when the workbook, the template or the code changed. The cli writes the .docx
# atomically, so a failed build leaves the previous report in place.
$(REPORT): $(READY) $(WORKBOOK) $(CODE) $(USED_TEMPLATE)
	@mkdir -p $(REPORTS)
	$(PY) -m pipeline build '$(WORKBOOK)' -o '$@' $(if $(USED_TEMPLATE),--template '$(USED_TEMPLATE)')

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

pdf: $(PDF)

# LibreOffice, with the open metric twins of the fonts the house style names, and DejaVu for
# the Arabic, Persian and Cyrillic letters the twins lack.
$(PDF): $(REPORT) pipeline/word/pdf.py
	@$(call need,soffice,libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core)
	$(PY) -m pipeline.word.pdf '$<' '$@'

preview: $(PREVIEW)

$(PREVIEW): $(PDF)
	@$(call need,pdftoppm,poppler-utils)
	@mkdir -p $(dir $@)
	pdftoppm -png -r 80 -f $(PREVIEW_PAGE) -l $(PREVIEW_PAGE) -singlefile '$<' '$(basename $@)'

# A workbook that is not there gets the cli's own message rather than make's "No rule".
$(WORKBOOK): | $(READY)
	@$(PY) -m pipeline validate '$@'

validate: $(READY)
	$(PY) -m pipeline validate '$(WORKBOOK)'

# Always run: the analyst wants the current problems, whether or not the workbook changed.
check: $(READY)
	@mkdir -p $(REPORTS)
	$(PY) -m pipeline validate '$(WORKBOOK)' --annotate '$(PROBLEMS)'

test: $(READY)
	$(PY) -m pytest -q

docs: $(READY)
	$(PY) -m pipeline.docs README.md

bench: $(READY)
	$(PY) benchmarks/bench_pipeline.py

clean:
	rm -rf $(REPORTS) .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
