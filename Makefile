# Accord: the two commands a newcomer needs are `make test` and (with the server) `make run`.
SWIFT ?= swift

.PHONY: deps build run test stress bench fuzz clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build --product accord

# Builds and starts the registry on embedded SQLite (./data) at 127.0.0.1:8081; Ctrl-C stops it.
run: build
	"$$($(SWIFT) build --show-bin-path)/accord" serve

# One debug build of everything (library, CLI, tests), then every test, with a private PostgreSQL server
# (scripts/test-postgres.sh) started before and stopped after, even when tests fail. The Python
# confluent-kafka client (PyPI) is installed for the client compatibility test.
test: deps
	bash scripts/install-python-test-deps.sh
	$(SWIFT) build --build-tests
	bash scripts/test-postgres.sh run $(SWIFT) test --skip-build

# Fault scenarios against the built `accord serve` (debug build, the one `make test` makes): kill -9 under load
# on SQLite and PostgreSQL, three nodes on one PostgreSQL, PostgreSQL stopped and restarted, a full disk, slow and
# abusive clients. A private PostgreSQL of its own (scripts/test-postgres.sh); loopback only; about 10 minutes.
# One PASS/FAIL line per scenario with its figures; fails if any scenario does. Not part of `make test`.
stress: deps
	$(SWIFT) build --product accord
	ACCORD_PG_DIR=$${TMPDIR:-/tmp}/accord-stress-postgres-$$(id -u) bash scripts/test-postgres.sh run \
		python3 scripts/stress.py --bin "$$($(SWIFT) build --show-bin-path)/accord"

# Release build; ours vs C++ libprotobuf and Java Avro like with like (plus libavro, fastavro, protobuf-c, upb,
# ajv and, for the server, nginx), interleaved in one run; writes bench/results.md.
bench: deps
	bash bench/run.sh

# libFuzzer targets (Fuzz/<target>: parsers, decoders, request decoding, a differential against libavro), built
# with coverage and AddressSanitizer in .build-fuzz and run FUZZ_SECONDS each; not part of `make test`.
# `make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="proto-compiler avro-schema"`; findings in .build-fuzz/findings/.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?=
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) bash scripts/fuzz.sh $(FUZZ_TARGETS)

clean:
	rm -rf .build
