# Two commands for a newcomer:  `make dev`  (install + demo data + serve)  and  `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dev test install lint serve demo worker beat clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## make dev: install everything, create the SQLite database with demo data and serve http://127.0.0.1:8000
dev: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: the whole suite, against PostgreSQL and Redis (DATABASE_URL / REDIS_URL, local defaults)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet .
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet .

worker: $(STAMP)
	$(BIN)/celery -A reintegratie worker -l info

beat: $(STAMP)
	$(BIN)/celery -A reintegratie beat -l info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
