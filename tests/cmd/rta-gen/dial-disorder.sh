# --disorder DUR stamps each event up to DUR before its nominal time (so
# the stream is out of order), never after it.
rta-gen -c 2000 --disorder 3s --start 2026-01-01T12:00:00Z --stats >o
awk -F'"timestamp":"' '{
	split(substr($2, 12, 15), h, ":"); s = h[1] * 3600 + h[2] * 60 + h[3]
	nom = 43200 + (NR - 1) * 0.1
	if (s > nom + 1e-6 || s < nom - 3 - 1e-6) bad++
	if (s < prev) back++
	prev = s
} END {
	print "all within 3 s before nominal:", (bad ? "no, " bad : "yes")
	print "out of order:", (back > 500 ? "yes" : back + 0)
}' o
