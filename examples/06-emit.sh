#!/bin/sh
# rta-cat emit writes one event from the shell: key=value fields are typed
# when they read as JSON numbers, booleans or null, key:=json takes any
# JSON.  RTA_NOW fixes "now" and --id the event id, so the output is stable.
set -eu
cd "$(dirname "$0")"
cat=${RTA_BIN:+$RTA_BIN/}rta-cat
export RTA_NOW=2026-03-01T10:00:00Z

echo "# typed values"
"$cat" emit --id ev-1 page_view acme url=/pricing latency_ms=12 \
    value=49.90 logged_in=true referrer=null zip=02134 note="two words"

echo "# any JSON with key:=json"
"$cat" emit --id ev-2 purchase acme order_id=o-7 \
    'items:=[{"sku":"sku-1","qty":2}]' 'geo:={"country":"DE"}'

echo "# an earlier event time, schema version 2"
"$cat" emit --id ev-3 --time -5m --schema-version 2 error globex code=E42

echo "# as an rta frame, read back by rta-cat"
"$cat" emit --id ev-4 -o rta page_view initech url=/ | "$cat" -o ndjson

echo "# without --id, a fresh UUID v7 (its first 48 bits are the time)"
"$cat" emit page_view acme |
    sed 's/"event_id":"\(.\{13\}\)[^"]*"/"event_id":"\1..."/'

echo "# bad JSON is a usage error (exit 2), before anything is written"
"$cat" emit --id ev-5 page_view acme 'tags:=[1,2' 2>/dev/null ||
    echo "exit status $?"
