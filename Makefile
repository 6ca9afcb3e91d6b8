# tern: convenience wrapper around CMake and ctest. See README.md.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=
# make install: where (PREFIX, compiled into the programs' default paths)
# and, for staging or packaging, under which root (DESTDIR).
PREFIX     ?= /usr/local
DESTDIR    ?=

.PHONY: all setup test test-unit demo bench fuzz clean format install deb

all:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

setup:
	./scripts/setup

# Configures $(BUILD) for PREFIX (the programs' built-in paths follow it),
# builds, then installs the programs, man pages and examples.
install:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD)

# The Debian package (debian/, built in obj-*/, not in $(BUILD)), moved from
# the parent directory, where dpkg-buildpackage writes it, to this one:
# apt install ./tern_*.deb
deb:
	@dpkg-checkbuilddeps 2>/dev/null || ./scripts/setup
	dpkg-buildpackage -b -us -uc
	@v=$$(dpkg-parsechangelog -S Version) && \
	a=$$(dpkg-architecture -qDEB_HOST_ARCH) && \
	for f in tern_$${v}_$$a.deb tern-dbgsym_$${v}_$$a.deb \
		tern_$${v}_$$a.buildinfo tern_$${v}_$$a.changes; do \
		if [ -e "../$$f" ]; then mv -f "../$$f" .; fi; \
	done && \
	echo "deb: $$(ls tern_$${v}_$$a.deb)"

# Everything: normal build (unit, fuzz corpus replay, integration), then the
# unit tests and corpus replays again under ASan+UBSan.
test: setup
	$(MAKE) all
	cd $(BUILD) && ctest --output-on-failure -j 1
	cmake -S . -B $(BUILD_ASAN) -DTERN_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -L 'unit|fuzz' -j $(JOBS)

test-unit: all
	cd $(BUILD) && ctest --output-on-failure -L 'unit|fuzz' -j $(JOBS)

demo: setup
	$(MAKE) all
	./scripts/demo $(BUILD)

bench: all
	./bench/run $(BUILD)

# libFuzzer: each target runs FUZZ_SECONDS; new inputs go to a scratch
# corpus in $(BUILD_FUZZ), the committed corpus is read only.
fuzz: setup
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_C_COMPILER=clang -DTERN_FUZZ=ON >/dev/null
	cmake --build $(BUILD_FUZZ) -j $(JOBS)
	./scripts/fuzz $(BUILD_FUZZ) $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
