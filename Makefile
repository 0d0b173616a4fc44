# actoredis: build, test and check targets (GNU make).
#
#   make test    install redis-server if needed, vet, unit tests, integration
#                tests on Redis 7.0, then the servers' tests (make servers)
#   make servers build Redis 7.4.1, Valkey 8.0.1 and Valkey 9 if needed (and
#                the tools to build them), run the version-specific tests
#                on each and a slice of the suite on Valkey 9
#   make lint    go vet, staticcheck, package-graph check, gofmt, go mod tidy
#                (the three modules) and the commit messages (scripts/check-commits.sh)
#   make fuzz    each fuzz target of resp/ and client/ for FUZZTIME
#   make demo    run examples/quickstart against a private redis-server
#   make bench   run bench/ (its own module) against a private redis-server;
#                BENCH_FLAGS=-quick for a smoke run
#   make test-matrix  the whole integration suite on each server of the
#                matrix (MATRIX_SERVERS), building missing ones first, with a
#                summary table (MATRIX_REPORT); MATRIX_RUN=TestCore for a subset
#   make test-docker  the integration tests with the dockertest backend
#                linked in, against containers of REDIS_IMAGE (redis:7.4,
#                valkey/valkey:8, ...); needs a Docker daemon
#   make chaos   integration tests in soak mode (RELIABILITY_SOAK=1, the
#                fault suite's durations and counts x10) and fuzzing for
#                CHAOS_FUZZTIME each; writes the figures to docs/reliability.md
#
# Every knob below can be set on the command line: make test RACE= UNIT_TIMEOUT=5m

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

GO ?= go
RACE ?= -race
TEST_FLAGS ?= $(RACE) -count=1
UNIT_TIMEOUT ?= 10m
INTEGRATION_TAGS ?= integration
INTEGRATION_TIMEOUT ?= 20m
INTEGRATION_PKGS ?= ./integration/...
CHAOS_TIMEOUT ?= 180m
CHAOS_SOAK ?= 1
CHAOS_RUN ?= .
CHAOS_FUZZTIME ?= 30m
CHAOS_REPORT ?= $(CURDIR)/.reliability-report.jsonl
CHAOS_FUZZ_LOG ?= $(CURDIR)/.reliability-fuzz.log
RELIABILITY_DOC ?= docs/reliability.md
FUZZ_PKG ?= ./resp/
FUZZ_TARGETS ?= FuzzDecode FuzzRoundTrip FuzzChunking
# The connection fuzz target: hostile server bytes through a live client.
FUZZ_CONN_PKG ?= ./client/
FUZZ_CONN_TARGETS ?= FuzzConnection
FUZZ_RUNS ?= $(addprefix $(FUZZ_PKG):,$(FUZZ_TARGETS)) $(addprefix $(FUZZ_CONN_PKG):,$(FUZZ_CONN_TARGETS))
FUZZTIME ?= 20s
FUZZ_FLAGS ?= -parallel=2
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCH_FLAGS ?=

.PHONY: test servers ensure-redis vet unit integration lint staticcheck graph fmt tidy commits fuzz demo bench chaos \
	test-docker dockerbackend test-matrix

test: ensure-redis
	$(MAKE) --no-print-directory vet
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory integration
	$(MAKE) --no-print-directory servers

ensure-redis:
	bash scripts/ensure-redis.sh

vet:
	$(GO) vet ./...
	$(GO) vet -tags $(INTEGRATION_TAGS) $(INTEGRATION_PKGS)

# Hermetic: no Redis needed.
unit:
	$(GO) test $(TEST_FLAGS) -timeout $(UNIT_TIMEOUT) ./...

# Against real redis-servers that the tests start (see integration/redistest).
integration:
	$(GO) test $(TEST_FLAGS) -tags $(INTEGRATION_TAGS) -timeout $(INTEGRATION_TIMEOUT) $(INTEGRATION_PKGS)

lint: vet staticcheck graph fmt tidy commits

staticcheck:
	$(GO) run $(STATICCHECK) -tags $(INTEGRATION_TAGS) ./...

graph:
	bash scripts/check-graph.sh

fmt:
	@files=$$(gofmt -l .); if [ -n "$$files" ]; then echo "gofmt: not formatted:"; echo "$$files"; exit 1; fi

tidy:
	$(GO) mod tidy -diff
	cd bench && $(GO) mod tidy -diff
	cd integration/redistest/dockerbackend && $(GO) mod tidy -diff

commits:
	bash scripts/check-commits.sh

fuzz:
	for run in $(FUZZ_RUNS); do \
		pkg=$${run%%:*}; target=$${run#*:}; \
		echo "fuzz: $$target for $(FUZZTIME) in $$pkg"; \
		$(GO) test -run='^$$' -fuzz="^$$target\$$" -fuzztime=$(FUZZTIME) $(FUZZ_FLAGS) $$pkg; \
	done

demo: ensure-redis
	bash scripts/with-redis.sh $(GO) run ./examples/quickstart

bench: ensure-redis
	cd bench && bash ../scripts/with-redis.sh $(GO) run . $(BENCH_FLAGS)

# Soak mode: every scenario of the fault suite with RELIABILITY_SOAK=1, then
# each fuzz target for CHAOS_FUZZTIME; the RELIABILITY lines and the fuzz
# totals become docs/reliability.md, written even when a gate fails (the
# target fails afterwards). CHAOS_SOAK=0 CHAOS_RUN=TestR CHAOS_FUZZTIME=60s
# is a short run of the fault suite alone.
chaos: ensure-redis
	rm -f $(CHAOS_REPORT) $(CHAOS_FUZZ_LOG)
	status=0; \
	RELIABILITY_SOAK=$(CHAOS_SOAK) RELIABILITY_REPORT=$(CHAOS_REPORT) \
		$(GO) test $(TEST_FLAGS) -tags $(INTEGRATION_TAGS) -timeout $(CHAOS_TIMEOUT) -run '$(CHAOS_RUN)' $(INTEGRATION_PKGS) || status=$$?; \
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(CHAOS_FUZZTIME) 2>&1 | tee $(CHAOS_FUZZ_LOG) || status=$$?; \
	$(GO) run ./scripts/reliability -o $(RELIABILITY_DOC) -fuzz $(CHAOS_FUZZ_LOG) \
		-command "make chaos CHAOS_SOAK=$(CHAOS_SOAK) CHAOS_RUN=$(CHAOS_RUN) CHAOS_FUZZTIME=$(CHAOS_FUZZTIME)" $(CHAOS_REPORT) || status=$$?; \
	exit $$status

# The container backend (its own module, dockertest): its unit tests need
# no daemon. test-docker runs the integration tests with it linked in
# (scripts/test-docker.sh: a temporary go.work and overlay); REDIS_IMAGE
# picks the image, else redis-server on PATH, else redis:7.0. Clusters and
# sentinels run as processes only.
REDIS_IMAGE ?=
DOCKER_RUN ?= .

dockerbackend:
	cd integration/redistest/dockerbackend && $(GO) vet ./... && $(GO) test $(TEST_FLAGS) ./...

test-docker: dockerbackend
	REDIS_IMAGE='$(REDIS_IMAGE)' bash scripts/test-docker.sh $(TEST_FLAGS) -timeout $(INTEGRATION_TIMEOUT) -run '$(DOCKER_RUN)'

# The whole integration suite on each server of the matrix in turn
# (REDISTEST_SERVER=<server>), missing servers built first into
# $$HOME/.cache/actoredis/servers (scripts/build-server.sh); the table
# (server, version, tests passed and failed, duration) is printed and
# written to $(MATRIX_DIR)/report.md, each server's log beside it.
# make test-matrix RACE= MATRIX_RUN=TestCore MATRIX_SERVERS="redis-7.4.1"
MATRIX_SERVERS ?= redis-7.0 redis-7.4.1 valkey-8.0.1 valkey-9
MATRIX_RUN ?= .
MATRIX_TIMEOUT ?= 30m
MATRIX_DIR ?= $(CURDIR)/.matrix

# make test's share of the matrix (SERVERS_PLAN): the tests whose
# behaviour depends on the server (SERVER_TESTS: the handshake and what it
# learns, COMMAND, the flags table, LOLWUT, MODULE, TLS, and the tests that
# failed on newer servers before: cluster failover and replica reads,
# pub/sub gaps) on each newer server, and one pass of a slice of the suite
# (VALKEY_SLICE: core, pipelines, transactions, pub/sub, cluster, sentinel,
# a retry scenario) on Valkey 9. Redis 7.0 ran everything just before.
SERVER_TESTS ?= ^(TestHelloInfoNamesTheServer|TestHandshakeNamesTheLibrary|TestHandshakeDisableClientInfo|TestUnknownCommandFailsAlone|TestClusterHelloInfo|TestFlagsTableMatchesServer|TestServerCommand|TestServerInfoTimeLolWut|TestServerModule|TestTLS|TestVersionIsTheChosenServers|TestClusterFailoverUnderLoad|TestClusterReplicaReads|TestR8PubSubSequence|TestPubSubReconnectSignalsGaps|TestLinearizable.*|TestLaterCommands.*|TestHashFieldTTL.*|TestWaitAOF.*|TestClientNoTouch|TestClientSetInfo|TestClusterMyShardID|TestZRankWithScore|TestHScanNoValues|TestZScanNoScores|TestClientKillMaxAge)$$
VALKEY_SLICE ?= ^(TestCore.*|TestPipeline.*|TestTxPipelineAtomicAndErrors|TestWatch.*|TestPubSub.*|TestClusterClientSmoke|TestClusterCommands|TestClusterPipelineAcrossNodes|TestSentinel|TestR9SentinelFailover|TestR11RetrySemantics)$$
SERVERS_PLAN ?= redis-7.4.1=$(SERVER_TESTS) valkey-8.0.1=$(SERVER_TESTS) valkey-9=$(SERVER_TESTS)|$(VALKEY_SLICE)

servers:
	MATRIX_SERVERS='$(SERVERS_PLAN)' MATRIX_PKGS='$(INTEGRATION_PKGS)' MATRIX_FLAGS='$(TEST_FLAGS)' \
		MATRIX_TIMEOUT='$(INTEGRATION_TIMEOUT)' MATRIX_DIR='$(CURDIR)/.matrix/servers' bash scripts/test-matrix.sh

test-matrix: ensure-redis
	MATRIX_SERVERS='$(MATRIX_SERVERS)' MATRIX_RUN='$(MATRIX_RUN)' MATRIX_PKGS='$(INTEGRATION_PKGS)' \
		MATRIX_FLAGS='$(TEST_FLAGS)' MATRIX_TIMEOUT='$(MATRIX_TIMEOUT)' MATRIX_DIR='$(MATRIX_DIR)' \
		bash scripts/test-matrix.sh
