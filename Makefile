# Single entry point: `make demo` (parse/ingest the sample corpus, then search) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
GONGWEN := $(VENV)/bin/gongwen
APT_PACKAGES := libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim poppler-utils \
                fonts-noto-cjk fonts-wqy-zenhei chromium
DEMO_HOME ?= indexes

.PHONY: setup system-packages demo serve test corpus bench clean

setup: $(VENV)/.installed

# Debian packages: LibreOffice for .doc/.wps, tesseract for the OCR fallback, CJK fonts,
# chromium for the browser tests (driven by Playwright, which downloads no browser of its own).
# Installed only when running as root and something is missing.
system-packages:
	@if [ "$$(id -u)" = "0" ] && ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

$(VENV)/.installed: pyproject.toml | system-packages
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[all]'
	touch $@

corpus: setup
	$(PY) corpus/build.py

# The main job on the embedded default: build the sample corpus, parse a few files, ingest all of
# it (the deliberately bad files under corpus/generated/bad are reported, not fatal), then search
# and list the year's chronicle; `make serve` then browses the same archive.
demo: setup
	$(PY) corpus/build.py --if-missing
	$(GONGWEN) parse corpus/generated/docx/00[1-5]*.docx
	-$(GONGWEN) --home $(DEMO_HOME) ingest corpus/generated
	$(GONGWEN) --home $(DEMO_HOME) search "民生实事 审议意见" --limit 5
	$(GONGWEN) --home $(DEMO_HOME) search "文号:青人常[2023]15号" --limit 3
	$(GONGWEN) --home $(DEMO_HOME) chronicle --year 2023
	@echo "网页版：make serve，然后打开 http://127.0.0.1:8000/"

# The web app over the demo's archive: search, documents, batch ingest (http://127.0.0.1:8000/).
serve: setup
	$(GONGWEN) --home $(DEMO_HOME) serve

test: setup
	$(PY) corpus/build.py --if-missing
	$(VENV)/bin/pytest -q -p no:cacheprovider

bench: setup
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) indexes/* corpus/generated
