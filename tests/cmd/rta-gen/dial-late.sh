# --late F stamps that fraction of events --late-by (default 10m) or up to
# twice that behind their nominal time; --stats counts them exactly.
for args in "--late 0.1" "--late 0.3 --late-by 1h"; do
	rta-gen -c 1000 $args --start 2026-01-01T12:00:00Z --stats >o 2>err
	by=600
	case $args in *1h) by=3600 ;; esac
	awk -F'"timestamp":"' -v by=$by '{
		split(substr($2, 12, 15), h, ":"); s = h[1] * 3600 + h[2] * 60 + h[3]
		nom = 43200 + (NR - 1) * 0.1
		if (s <= nom - by + 1e-6 && s >= nom - 2 * by - 1e-6) late++
		else if (s != nom) odd++
	} END { print late + 0, "late,", odd + 0, "other" }' o
	cat err
done
