# rta-cat emit --time takes RFC 3339 (any offset), a date, epoch seconds,
# ms or us, now and now minus a duration (RTA_NOW pins now); the default
# is now.
for t in 2026-01-01T00:00:00Z 2026-01-01T01:30:00.25+01:30 2026-03-04 \
    1767225600 1767225600123 1767225600123456 1767225600.5 \
    now -5m '24h ago' -1d2h
do
	rta-cat emit --id x --time "$t" t a >o
	printf '%-30s %s %s\n' "$t" $? "$(cut -c 29-54 o)"
done
rta-cat emit --id x t a >o
printf '%-30s %s %s\n' "(default)" $? "$(cut -c 29-54 o)"
rta-cat emit --id x --time yesterday t a
echo "yesterday: exit $?"
rta-cat emit --id x --time 2026-02-30 t a
echo "2026-02-30: exit $?"
