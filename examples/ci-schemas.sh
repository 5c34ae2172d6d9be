#!/bin/sh
# ci-schemas.sh: the schema job of a CI pipeline.  Lints a schema
# directory, checks that each version can read what the one before it
# wrote, and validates sample event files against the schemas; every
# problem is a GitHub annotation (::error file=...,line=...::) on stdout,
# and the job fails (exit 1) if there was any.
#
#	usage: ci-schemas.sh schema-dir [sample.ndjson ...]
#
# RTA_BIN names the directory of the rta programs (default: $PATH).
# In a GitHub workflow:
#	- run: examples/ci-schemas.sh schemas/ tests/samples/*.ndjson
set -u
validate=${RTA_BIN:+$RTA_BIN/}rta-validate

if [ $# -lt 1 ]; then
	echo "usage: ci-schemas.sh schema-dir [sample.ndjson ...]" >&2
	exit 2
fi
dir=$1
shift
failed=

# step NAME COMMAND...: run one check, note it when it fails.
step() {
	name=$1
	shift
	echo "ci-schemas: $name"
	"$@"
	rc=$?
	[ $rc = 0 ] || failed="$failed $name(exit $rc)"
}

# sample FILE: validate a sample file; the events themselves are not
# wanted, and the annotations (on stderr) go to stdout with the others.
sample() {
	"$validate" -s "$dir" --format github "$1" 2>&1 >/dev/null
}

step check "$validate" check --format github "$dir"
step compat "$validate" compat --format github --mode backward "$dir"
for f in "$@"; do
	step "$f" sample "$f"
done

if [ -n "$failed" ]; then
	echo "ci-schemas: FAILED:$failed"
	exit 1
fi
echo "ci-schemas: ok"
