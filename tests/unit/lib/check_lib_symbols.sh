#!/bin/sh
# Fails when libtern references an allocator or defines writable globals.
set -eu
lib="$1"
bad=$(nm -u "$lib" | awk '{print $NF}' | grep -E '^(malloc|calloc|realloc|free|strdup|strndup|reallocarray|posix_memalign|aligned_alloc|syslog|printf|fprintf|puts|perror)$' || true)
if [ -n "$bad" ]; then
	echo "libtern calls forbidden functions:"; echo "$bad"; exit 1
fi
# Writable data (D/d initialised, B/b zeroed, C common) means global state.
glob=$(nm "$lib" | awk 'NF==3 && $2 ~ /^[DdBbC]$/ {print $3}' || true)
if [ -n "$glob" ]; then
	echo "libtern defines writable globals:"; echo "$glob"; exit 1
fi
echo "libtern: no allocator calls, no writable globals ($(nm -u "$lib" | wc -l) undefined refs checked)"
