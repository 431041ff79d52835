# zhilian — build and test entry points.
#   make test            gofmt + lint + vet + tests on SQLite (with -race) and on PostgreSQL
#   make lint            golangci-lint v2.15.0 (.golangci.yml); scripts/lint.sh installs it if missing
#   make test RACE=      same without the race detector
#   make test-sqlite / test-postgres / build / demo / fmt / vet / bench
#   make bench           the Go benchmarks, then `zhilian bench` on 100,000 cases on SQLite
#   make bench-province  only the latter (BENCH_CASES=1000000, BENCH_DB=postgres://… to change)
# PostgreSQL: scripts/pg-throwaway.sh finds 127.0.0.1:5432 (trust auth) or starts a
# throwaway cluster on 127.0.0.1:55432. Set PG_URL=postgres://... to use your own.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test
.NOTPARALLEL:
.DELETE_ON_ERROR:

GO       ?= go
RACE     ?= -race
TIMEOUT  ?= 55m
PKGS     ?= ./...
CHROMIUM ?= /usr/bin/chromium
PG_URL   ?=
GOTEST   := $(GO) test -count=1 -timeout $(TIMEOUT)

# Sets shell variable pg_url (from PG_URL or scripts/pg-throwaway.sh).
define get_pg_url
pg_url='$(PG_URL)'; \
if [[ -z "$$pg_url" ]]; then pg_url="$$(bash scripts/pg-throwaway.sh | tail -n 1)"; fi; \
if [[ "$$pg_url" != postgres*://* ]]; then echo "make: no PostgreSQL URL (got '$$pg_url')" >&2; exit 1; fi
endef

# Fails if any git-tracked (or new, not ignored) .go file needs gofmt.
define fmt_check
echo "== gofmt -l =="; \
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	files="$$(git ls-files -z --cached --others --exclude-standard -- '*.go' \
		| while IFS= read -r -d '' f; do if [[ -f "$$f" ]]; then printf '%s\0' "$$f"; fi; done \
		| xargs -0 -r gofmt -l)"; \
else \
	files="$$(find . -name '*.go' -not -path './vendor/*' -not -path './.git/*' -print0 | xargs -0 -r gofmt -l)"; \
fi; \
if [[ -n "$$files" ]]; then \
	echo "gofmt: these files need formatting (run gofmt -w):" >&2; echo "$$files" >&2; exit 1; \
fi
endef

define lint_run
echo "== golangci-lint =="; \
bash scripts/lint.sh $(PKGS)
endef

define vet_run
echo "== go vet =="; \
$(GO) vet $(PKGS)
endef

define run_sqlite
echo "== go test on SQLite =="; \
ZHILIAN_TEST_DB=sqlite ZHILIAN_CHROMIUM=$(CHROMIUM) $(GOTEST) $(RACE) $(PKGS)
endef

define run_postgres
echo "== go test on PostgreSQL ($$pg_url) =="; \
ZHILIAN_TEST_DB="$$pg_url" ZHILIAN_CHROMIUM=$(CHROMIUM) $(GOTEST) $(PKGS)
endef

.PHONY: test test-sqlite test-postgres test-env lint vet fmt build demo bench bench-province clean

test: test-env
	@$(get_pg_url); \
	$(fmt_check); \
	$(lint_run); \
	$(vet_run); \
	$(run_sqlite); \
	$(run_postgres); \
	echo "== all tests passed (SQLite and PostgreSQL) =="

test-sqlite: test-env
	@$(run_sqlite)

test-postgres: test-env
	@$(get_pg_url); \
	$(run_postgres)

test-env:
	@bash scripts/test-env.sh

lint:
	@$(lint_run)

vet:
	@$(vet_run)

fmt:
	@$(fmt_check)

build:
	$(GO) build -o bin/zhilian ./cmd/zhilian

demo:
	$(GO) run ./cmd/zhilian demo

bench: test-env
	ZHILIAN_TEST_DB=sqlite ZHILIAN_CHROMIUM=$(CHROMIUM) $(GO) test -run '^$$' -bench . -benchmem -timeout $(TIMEOUT) $(PKGS)
	@$(MAKE) --no-print-directory bench-province

BENCH_CASES ?= 100000
BENCH_DB    ?=
# A fresh SQLite database in a temporary directory unless BENCH_DB names an
# empty one (the bench refuses a database with data).
bench-province:
	@dir="$$(mktemp -d)"; trap 'rm -rf "$$dir"' EXIT; \
	db='$(BENCH_DB)'; if [[ -z "$$db" ]]; then db="$$dir/bench.db"; fi; \
	uptime; $(GO) run ./cmd/zhilian bench --db "$$db" --cases $(BENCH_CASES)

clean:
	rm -rf bin
