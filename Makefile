# Two commands for a newcomer:  `make dev`  (install + demo data + serve)  and  `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The OpenID Connect provider the single sign-on tests start (Node.js >= 20, packages from the lockfile).
OIDC_PROVIDER := tests/oidc_provider
OIDC_STAMP := $(OIDC_PROVIDER)/node_modules/.installed

# Locked dependencies with hashes (README, "Dependencies"): what `make install`, the Dockerfile and CI install.
LOCK_DEV := requirements/dev.txt
LOCK_PROD := requirements/prod.txt
COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" pyproject.toml requirements/build.in

.PHONY: dev test install lint serve demo worker beat clean lock

# Exactly the locked packages (pip refuses anything without a matching hash), then the project itself.
$(STAMP): $(LOCK_DEV) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK_DEV)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## make lock: regenerate the lock files from pyproject.toml after changing a dependency (keeps the other
## pins); `make lock UPGRADE=1` moves everything to the newest versions the ranges allow.
lock: $(STAMP)
	$(COMPILE) --extra dev $(if $(UPGRADE),--upgrade) -o $(LOCK_DEV)
	$(COMPILE) --constraint $(LOCK_DEV) -o $(LOCK_PROD)
	$(MAKE) install

$(OIDC_STAMP): $(OIDC_PROVIDER)/package-lock.json
	npm ci --prefix $(OIDC_PROVIDER) --no-audit --no-fund --loglevel=error
	@touch $(OIDC_STAMP)

install: $(STAMP) $(OIDC_STAMP)

## make dev: install everything, create the SQLite database with demo data and serve http://127.0.0.1:8000
dev: $(STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: the whole suite, against PostgreSQL and Redis (DATABASE_URL / REDIS_URL, local defaults)
test: $(STAMP) $(OIDC_STAMP)
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
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts $(OIDC_PROVIDER)/node_modules
