# Two commands on a fresh machine:
#   make run   — virtualenv, install, build demo data when missing, start the web app
#                (options: BANK_AUTH=user:pass make run ARGS="--share")
#   make test  — virtualenv, install, run every test
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BANK_DB ?= data/bank.db
BANK_ARTIFACTS ?= artifacts
export BANK_DB BANK_ARTIFACTS

.PHONY: run test data models rebuild bench screenshots system clean

# Chromium for browser tests, a CJK font for chart images, PostgreSQL and MariaDB servers (Debian packages).
system:
	./scripts/install_system_deps.sh

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(BANK_DB): | $(VENV)/.installed
	$(PY) -m db.build --db $(BANK_DB)

data: $(BANK_DB)

# Retrains when the models were trained on other data (compared by the data fingerprint, so an
# import of new files retrains and a rebuild of the same data does not).
models: $(VENV)/.installed data
	$(PY) -m models.train --if-stale --db $(BANK_DB) --artifacts $(BANK_ARTIFACTS)

rebuild: $(VENV)/.installed
	$(PY) -m db.build --db $(BANK_DB)

run: $(VENV)/.installed system data models
	$(PY) app_gradio.py $(ARGS)

test: $(VENV)/.installed system
	$(PY) -m pytest -q

bench: $(VENV)/.installed system
	$(PY) -m bench.build_bench
	$(PY) -m bench.import_bench
	$(PY) -m bench.model_bench
	$(PY) -m bench.campaign_bench
	$(PY) -m bench.agent_bench
	$(PY) -m bench.load_bench
	$(PY) -m bench.server_bench

screenshots: $(VENV)/.installed system data models
	$(PY) -m scripts.screenshots

clean:
	-./scripts/dbserver.sh stop postgres; ./scripts/dbserver.sh stop mysql
	rm -rf $(VENV) data artifacts bench/out build
