# --start TIME sets the first event time: RFC 3339, a date, an epoch
# number, now (RTA_NOW pins it), or now minus a duration; the default is
# 2026-01-01T00:00:00Z.  Event ids are UUID v7 of the event time.
for t in 2020-02-29T12:34:56.5Z 2020-02-29 1767225600 now -1h '24h ago'; do
	rta-gen -c 1 --start "$t" >o
	printf '%-24s %s %s %s\n' "$t" $? "$(cut -c 64-90 o)" "$(cut -c 14-26 o)"
done
rta-gen -c 1 >o
printf '%-24s %s %s %s\n' "(default)" $? "$(cut -c 64-90 o)" "$(cut -c 14-26 o)"
