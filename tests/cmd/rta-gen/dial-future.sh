# --future F stamps that fraction of events --future-by (default 1h) or up
# to twice that ahead of their nominal time; --stats counts them exactly.
for args in "--future 0.1" "--future 0.2 --future-by 10m"; do
	rta-gen -c 1000 $args --start 2026-01-01T12:00:00Z --stats >o 2>err
	by=3600
	case $args in *10m) by=600 ;; esac
	awk -F'"timestamp":"' -v by=$by '{
		split(substr($2, 12, 15), h, ":"); s = h[1] * 3600 + h[2] * 60 + h[3]
		nom = 43200 + (NR - 1) * 0.1
		if (s >= nom + by - 1e-6 && s <= nom + 2 * by + 1e-6) fut++
		else if (s != nom) odd++
	} END { print fut + 0, "future,", odd + 0, "other" }' o
	cat err
done
