# Two commands on a fresh machine:
#   make run   — virtualenv, install, build demo data when missing, start
#   make test  — virtualenv, install, run every test
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BANK_DB ?= data/bank.db
export BANK_DB

.PHONY: run test data rebuild bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(BANK_DB): | $(VENV)/.installed
	$(PY) -m db.build --db $(BANK_DB)

data: $(BANK_DB)

rebuild: $(VENV)/.installed
	$(PY) -m db.build --db $(BANK_DB)

run: $(VENV)/.installed data
	@echo "数据已就绪：$(BANK_DB)（数据质量报告在同目录）。"
	@echo "问答应用（app_gradio.py）尚未实现，见 issue 5；目前 make run 止于构建数据。"

test: $(VENV)/.installed
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) -m bench.build_bench

clean:
	rm -rf $(VENV) data artifacts bench/out
