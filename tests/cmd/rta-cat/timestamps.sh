# Timestamps: RFC 3339 with any offset, lower-case t/z, a space for T, a
# leap second, epoch numbers (negative, fractional, -0); rejected: beyond
# the years 1-9999, 1e999999, a 30-digit integer, NaN, Infinity, 0x10, an
# epoch in a string, a date or time alone, null, an array.
E='"event_id":"x","event_type":"t","tenant_id":"a"'
for ts in '"2026-01-01T00:00:00Z"' '"2026-01-01T05:30:00.123456789+05:30"' \
    '"2026-01-01t00:00:00z"' '"2026-01-01 00:00:00-01:00"' \
    '"2016-12-31T23:59:60Z"' 1767225600 1767225600.25 -1 -0 \
    -62135596800 -62135596801 '"0000-12-31T23:59:59Z"' \
    '"10000-01-01T00:00:00Z"' 1e999999 123456789012345678901234567890 \
    NaN Infinity 0x10 '"1767225600"' '"2026-01-01"' \
    '"2026-01-01T00:00:00"' '"2026-02-29T00:00:00Z"' '"2026-01-01T24:00:00Z"' \
    null '[1]'
do
	printf '{%s,"timestamp":%s}\n' "$E" "$ts"
done >in.ndjson
rta-cat -q --dead-letter dl in.ndjson >out
echo "exit $?"
cut -c 29-55 out
sed 's/.*"error":"\([^"]*\)".*"line":\([0-9]*\).*/\2: \1/' dl
