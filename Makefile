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
# it, then search and list the year's chronicle; `make serve` then browses the same archive.
# corpus/generated/bad holds deliberately broken files, so the ingest exits 1 there: the demo
# accepts failures under bad/ only (DEMO_INGEST_CHECK) and tells the user why in Chinese.
demo: setup
	$(PY) corpus/build.py --if-missing
	$(GONGWEN) parse corpus/generated/docx/00[1-5]*.docx
	@echo "$(GONGWEN) --home $(DEMO_HOME) ingest corpus/generated"
	@summary=$$(mktemp); \
	$(GONGWEN) --home $(DEMO_HOME) ingest corpus/generated --json > $$summary; \
	$(PY) -c "$$DEMO_INGEST_CHECK" $$summary $$?; status=$$?; rm -f $$summary; exit $$status
	$(GONGWEN) --home $(DEMO_HOME) search "民生实事 审议意见" --limit 5
	$(GONGWEN) --home $(DEMO_HOME) search "文号:青人常[2023]15号" --limit 3
	$(GONGWEN) --home $(DEMO_HOME) chronicle --year 2023
	@echo "网页版：make serve，然后打开 http://127.0.0.1:8000/"

# Reads `ingest --json`'s summary (argv: the file, the ingest's exit code); exits 1 when a file
# outside corpus/generated/bad failed or the ingest itself did.
define DEMO_INGEST_CHECK
import json, sys
from pathlib import Path

summary_file, status = sys.argv[1], int(sys.argv[2])
try:
    summary = json.loads(Path(summary_file).read_text(encoding="utf-8"))
except ValueError:
    summary = {}
if "failed" not in summary:
    sys.exit(f"入库没有完成（退出码 {status}）：{summary.get('error', '原因见上面的报错')}")
print(f"入库完成，用时 {summary['seconds']:.1f} 秒：新增 {summary['added']} 件，"
      f"新版本 {summary['updated']} 件，未变化 {summary['unchanged']} 件，重复 {summary['duplicates']} 件。")
bad = Path("corpus/generated/bad").resolve()
expected = [item for item in summary["failed"] if bad in Path(item["path"]).resolve().parents]
unexpected = [item for item in summary["failed"] if item not in expected]
for item in expected:
    print(f"  ✗ {Path(item['path']).name}：{item['error']}")
if expected:
    print(f"样例中 bad/ 目录下的 {len(expected)} 个文件是故意损坏的，用来演示报错"
          + ("。" if unexpected else "，其余全部入库。"))
if summary["quarantined"]:
    print(f"另有 {len(summary['quarantined'])} 个带密级标志的样例文件按规定隔离：不入索引、不予显示。")
for item in unexpected:
    print(f"✗ 入库失败：{item['path']}：{item['error']}")
if unexpected:
    sys.exit(f"bad/ 目录以外有 {len(unexpected)} 个文件入库失败（见上），演示中止。")
if status not in (0, 1):
    sys.exit(f"入库异常结束（退出码 {status}），演示中止。")
endef
export DEMO_INGEST_CHECK

# The web app over the demo's archive: search, documents, batch ingest (http://127.0.0.1:8000/).
serve: setup
	$(GONGWEN) --home $(DEMO_HOME) serve

test: setup
	$(PY) corpus/build.py --if-missing
	$(VENV)/bin/pytest -q -p no:cacheprovider

# The goal benchmarks in sequence (about an hour), outputs in benchmarks/results/, a summary table
# at the end; e.g. `make bench BENCH_ARGS="--quick"` or BENCH_ARGS="search_quality genre_quality".
BENCH_ARGS ?=
bench: setup
	$(PY) benchmarks/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) indexes/* corpus/generated
