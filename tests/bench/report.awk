# tests/bench/report.awk: turn run.sh's results.tsv (size, case, runs,
# best wall seconds, input bytes, peak RSS KiB, best CPU seconds) into
# RESULTS.md, with the ratios and the targets of the issue marked met or
# MISSED.
# Variables: date nproc cpu kernel mem load rta jq jansson mlr cc elapsed
# notes pinned.

BEGIN {
	FS = "\t"
	nsizes = 0
	ncases = 0
}

{
	n = $1; c = $2
	if (!(n in seen_size)) {
		seen_size[n] = 1
		size[++nsizes] = n
	}
	if (!(c in seen_case)) {
		seen_case[c] = 1
		cases[++ncases] = c
	}
	# a case measured in several rounds: the best time, all the runs
	if ((n, c) in have) {
		runs[n, c] += $3
		if ($4 < sec[n, c])
			sec[n, c] = $4
		if ($6 > rss[n, c])
			rss[n, c] = $6
		if ($7 < cpus[n, c])
			cpus[n, c] = $7
		next
	}
	runs[n, c] = $3
	sec[n, c] = $4
	bytes[n, c] = $5
	rss[n, c] = $6
	cpus[n, c] = $7
	have[n, c] = 1
}

# 1234567 -> 1,234,567
function commas(x,    s, r) {
	s = sprintf("%.0f", x)
	r = ""
	while (length(s) > 3) {
		r = "," substr(s, length(s) - 2) r
		s = substr(s, 1, length(s) - 3)
	}
	return s r
}

function evs(n, c) {
	return n / sec[n, c]
}

function ratio(n, a, b) {
	if (!have[n, a] || !have[n, b])
		return ""
	return sec[n, b] / sec[n, a]
}

# The same ratio by CPU time; "-" when a time is too short to resolve.
function cpuratio(n, a, b) {
	if (!have[n, a] || !have[n, b] || cpus[n, a] < 0.1 ||
	    cpus[n, b] < 0.1)
		return "-"
	return sprintf("%.2fx", cpus[n, b] / cpus[n, a])
}

# One target cell: the value shown as disp, then met or MISSED against
# the bound (v must be below it when below is set).
function cell(v, disp, bound, below,    ok) {
	if (v == "")
		return "not measured"
	ok = below ? v < bound : v >= bound
	if (ok)
		metcount++
	else
		missed++
	return disp " " (ok ? "met" : "**MISSED**")
}

function target(label, c1, c2, bound, kind,    i, n, v, d, line) {
	line = "| " label " |"
	missed = 0
	metcount = 0
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		v = ""
		d = ""
		if (kind == "evs" && have[n, c1]) {
			v = evs(n, c1)
			d = commas(v)
		} else if (kind == "ratio") {
			v = ratio(n, c1, c2)
			if (v != "")
				d = sprintf("%.1fx", v)
		}
		line = line " " cell(v, d, bound, 0) " |"
	}
	print line " " verdict() " |"
}

function verdict() {
	if (missed > 0)
		return "**MISSED**"
	return metcount > 0 ? "met" : "not measured"
}

END {
	print "# rta benchmark results"
	print ""
	print "Written by `make bench` (tests/bench/run.sh) on " date \
	    ", in " elapsed " s.  All cases ran in that one run on this " \
	    "machine; compare ratios, not absolute times across runs."
	print ""
	print "## Machine"
	print ""
	print "| | |"
	print "| --- | --- |"
	print "| CPU | " cpu " |"
	print "| cores (nproc) | " nproc " |"
	print "| memory | " mem " |"
	print "| kernel | " kernel " |"
	print "| load average (1 min) | " load " |"
	print ""
	print "## Versions"
	print ""
	print "| program | version |"
	print "| --- | --- |"
	print "| rta | " rta " |"
	print "| jq | " jq " |"
	print "| jansson | " jansson " |"
	print "| Miller | " mlr " |"
	print "| DuckDB | " duckdb " |"
	print "| C compiler | " cc " |"
	print ""
	print "## Method"
	print ""
	print "rta-gen writes each set twice with the same seed, as NDJSON " \
	    "and as rta frames (the two decode to the same bytes, which the " \
	    "run checks on the first set).  Every case reads its input file " \
	    "on stdin and writes to /dev/null; the time is the best wall " \
	    "time of the runs, since other work on a shared machine only " \
	    "ever adds time; rta's own cases run in three rounds taken in " \
	    "turn, so a slow spell hits them alike (column runs: by " \
	    "default 5 per case and round up to 1M " \
	    "events and 3 above, but the slow anchors jq and jansson run " \
	    "once above 1M, BENCH_ANCHOR_RUNS), peak RSS the largest of " \
	    "the runs (/usr/bin/time %M), CPU s the least user + system " \
	    "time (10 ms resolution).  On a busy machine (see the load " \
	    "average) the wall times of long runs suffer most, and the " \
	    "CPU-time ratios are the steadier ones.  Single-threaded " \
	    "programs run on one core " \
	    "(" (pinned == "no" ? "taskset missing: not pinned" : pinned) \
	    "), and so does rta ndjson->rta, whose target is for one " \
	    "core; Miller is multi-threaded and runs unpinned, and so do " \
	    "rta rta->rta and rta rta->ndjson, whose targets are for the " \
	    "2-core machine (rta-cat reads its input ahead in a second " \
	    "thread; its CPU s then counts both).  MB/s counts " \
	    "input bytes."
	print ""
	print "- `cat`: `cat f > /dev/null`, the page-cache read floor"
	print "- `baseline`: tests/bench/baseline.c, read(2) in 1 MiB " \
	    "blocks and count lines with memchr"
	print "- `rta ndjson->rta`: `rta-cat -o rta < f.ndjson`"
	print "- `rta rta->rta`: `rta-cat -o rta < f.rta` (decode and " \
	    "re-encode every frame: each is checked whole, checksum and " \
	    "values; an event left unchanged is written by copying its " \
	    "verified frame)"
	print "- `rta rta->ndjson`: `rta-cat -o ndjson < f.rta`"
	print "- `jansson loop`: tests/bench/jansson_loop.c, json_loadb " \
	    "and json_dumpb (compact) per line"
	print "- `jq -c .`: `jq -c . < f.ndjson`"
	print "- `mlr cat`: `mlr --ijsonl --ojsonl cat` (1M set only)"
	print ""
	print "## Results"
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		print ""
		print "### " commas(n) " events"
		print ""
		print "| case | runs | best s | events/s | MB/s | " \
		    "peak RSS MiB | CPU s |"
		print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
		for (j = 1; j <= ncases; j++) {
			c = cases[j]
			if (!have[n, c])
				continue
			printf "| %s | %d | %.3f | %s | %.1f | %.1f | %.2f |\n",
			    c, runs[n, c], sec[n, c], commas(evs(n, c)),
			    bytes[n, c] / sec[n, c] / 1e6, rss[n, c] / 1024,
			    cpus[n, c]
		}
		print ""
		print "| ratio of events/s | by wall time | by CPU time |"
		print "| --- | ---: | ---: |"
		split("jq -c .|jansson loop|mlr cat|baseline|cat", an, "|")
		for (k = 1; k <= 5; k++) {
			r = ratio(n, "rta ndjson->rta", an[k])
			if (r != "")
				printf "| rta ndjson->rta / %s | %.2fx | %s |\n",
				    an[k], r, cpuratio(n, "rta ndjson->rta",
				    an[k])
		}
		r = ratio(n, "rta rta->rta", "rta ndjson->rta")
		if (r != "")
			printf "| rta rta->rta / rta ndjson->rta | %.2fx | %s |\n",
			    r, cpuratio(n, "rta rta->rta", "rta ndjson->rta")
	}
	print ""
	print "## Targets"
	print ""
	line = "| target |"
	sep = "| --- |"
	for (i = 1; i <= nsizes; i++) {
		line = line " " commas(size[i]) " events |"
		sep = sep " --- |"
	}
	print line " verdict |"
	print sep " --- |"
	target("NDJSON -> rta >= 2,000,000 ev/s, one core",
	    "rta ndjson->rta", "", 2000000, "evs")
	target("NDJSON -> rta >= 10x jq", "rta ndjson->rta", "jq -c .", 10,
	    "ratio")
	target("NDJSON -> rta >= 7x jansson parse+dump", "rta ndjson->rta",
	    "jansson loop", 7, "ratio")
	target("rta -> rta >= 8,000,000 ev/s", "rta rta->rta", "", 8000000,
	    "evs")
	target("rta -> NDJSON >= 2,000,000 ev/s", "rta rta->ndjson", "",
	    2000000, "evs")
	# Peak RSS: the largest of the rta cases, on sets of 10M or more.
	line = "| peak RSS < 32 MiB for 10M events |"
	missed = 0
	metcount = 0
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		m = ""
		split("rta ndjson->rta|rta rta->rta|rta rta->ndjson", rc, "|")
		for (k = 1; k <= 3; k++)
			if (have[n, rc[k]] && (m == "" || rss[n, rc[k]] > m))
				m = rss[n, rc[k]]
		if (m == "")
			line = line " not measured |"
		else if (n < 10000000)
			line = line " " sprintf("%.1f MiB", m / 1024) " |"
		else
			line = line " " cell(m / 1024,
			    sprintf("%.1f MiB", m / 1024), 32, 1) " |"
	}
	print line " " verdict() " |"
	print ""
	print "Events/s targets are checked on every set; the verdict is " \
	    "met only when every measured set meets it."
	while ((getline l < notes) > 0) {
		if (!hdr) {
			print ""
			print "## Notes"
			print ""
			hdr = 1
		}
		print "- " l
	}
}
