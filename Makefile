# quantbench: `make demo` runs the offline demo, `make test` runs every test.
GO ?= go
# Integration tests start their own Ollama servers, one package at a time.
INTEGRATION_TIMEOUT ?= 45m

.PHONY: all build vet unit integration test demo ollama bench clean

all: build

# The version and commit are stamped in, because GOFLAGS=-buildvcs=false (or
# a build outside git) leaves the binary without VCS information.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS = -X main.version=$(VERSION) -X main.commit=$(COMMIT)

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/quantbench ./cmd/quantbench

vet:
	$(GO) vet ./...
	$(GO) vet -tags integration ./...

unit:
	$(GO) test -race ./...

# ollama provides the pinned Ollama binary (built once, then cached).
ollama:
	@scripts/ollama-provide.sh >/dev/null

integration: ollama
	QUANTBENCH_OLLAMA="$$(scripts/ollama-provide.sh)" \
		$(GO) test -tags integration -p 1 -count=1 -timeout $(INTEGRATION_TIMEOUT) -run Integration ./...

# The unit tests run last, so the closing lines report packages that ran tests.
test: vet integration unit

demo: build ollama
	scripts/demo.sh

# bench runs the Go benchmarks once each (harness overhead, workbook memory).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

clean:
	rm -rf bin
