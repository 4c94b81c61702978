# The two commands a newcomer needs:
#   make run [STEP=5b]   set up, prepare the database and serve a step on http://127.0.0.1:5000/
#   make test            set up and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STEP ?=
# pytest-xdist workers: one more than the cores, since many tests wait on the processes they
# start (servers, browsers, mail), and an idle worker takes tests from another (worksteal);
# on the project's 2-core machine 3 workers take 201 s where 2 take 215 s.
# `make test JOBS=1` runs serially
JOBS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

.PHONY: run test lab clean-venv

run: $(VENV)/installed
	@$(BIN)/python scripts/run $(STEP)

test: $(VENV)/installed node_modules/.installed
	$(BIN)/python -m pytest -n $(JOBS) --dist worksteal $(PYTEST_ARGS)

# JupyterLab on notebooks/, with a kernel spec "flasky" inside the venv (the notebooks name
# it) so their kernel has the project's packages; e.g. `make lab LAB_ARGS="--no-browser"`
lab: $(VENV)/installed
	$(BIN)/python -m ipykernel install --sys-prefix --name flasky --display-name "Flasky (.venv)" >/dev/null
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

# (Re)install only when requirements.txt is newer than the last install.
$(VENV)/installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed, found " + sys.version.split()[0] + ": try make PYTHON=python3.12")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

# retire.js (package-lock.json), for the tests of the JavaScript the steps serve; without npm
# those tests are skipped, saying so
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm is not installed: the retire.js tests will be skipped"; fi

clean-venv:
	rm -rf $(VENV)
