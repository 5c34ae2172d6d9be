#!/bin/sh
# ci-schemas.sh is a CI job for a schema directory: rta-validate check,
# compat --mode backward and the validation of sample files, all as GitHub
# annotations.  It passes on data/schemas/, then fails on a copy with a
# breaking v3 and a bad sample, and again with a misspelt keyword.
set -eu
cd "$(dirname "$0")"
gen=${RTA_BIN:+$RTA_BIN/}rta-gen
ci=$PWD/ci-schemas.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

cp -R data/schemas "$tmp/schemas"
mkdir "$tmp/samples"
"$gen" --seed 9 --count 200 --tenants 5 >"$tmp/samples/day1.ndjson"
cd "$tmp"

echo "# the schemas and a day of sample events: the job passes"
status=0
sh "$ci" schemas samples/day1.ndjson || status=$?
echo "exit status $status"

echo "# a v3 that requires referrer and drops tablet, and a sample whose"
echo "# first purchase is in a bad currency: the job fails and says where"
jq '."$id" |= sub("v2"; "v3") | .required += ["referrer"] |
    .properties.device.enum -= ["tablet"]' schemas/page_view.v2.json \
    >schemas/page_view.v3.json
awk '!bad && /"event_type":"purchase"/ {
	bad = sub(/"currency":"[A-Z]*"/, "\"currency\":\"usd\"") } 1' \
    samples/day1.ndjson >samples/day2.ndjson
status=0
sh "$ci" schemas samples/day1.ndjson samples/day2.ndjson || status=$?
echo "exit status $status"

echo "# a misspelt keyword is a problem, never silently ignored; nothing"
echo "# is validated against schemas that do not load"
rm schemas/page_view.v3.json
sed 's/"maxLength": 500/"maxlength": 500/' schemas/error.v1.json \
    >schemas/error.v1.json.new
mv schemas/error.v1.json.new schemas/error.v1.json
status=0
sh "$ci" schemas samples/day1.ndjson || status=$?
echo "exit status $status"
