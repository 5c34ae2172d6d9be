# tests/bench/stages.awk: the rta-dedup, rta-enrich and rta-window
# sections of RESULTS.md, then the notes.  Run after report.awk and validate.awk in
# the same awk process (run.sh), whose tables and functions it uses.
# Variables: vnotes (the notes file).

END {
	if (measured("dedup rta") || measured("awk dedup"))
		dedup_section()
	if (measured("enrich rta") || measured("enrich load"))
		enrich_section()
	if (measured("window rta") || measured("cat-window ndjson"))
		window_section()
	hdr = 0
	while ((getline l < vnotes) > 0) {
		if (!hdr) {
			print ""
			print "## Notes"
			print ""
			hdr = 1
		}
		print "- " l
	}
}

# 1 if case c was measured on any set
function measured(c,    i) {
	for (i = 1; i <= nsizes; i++)
		if (have[size[i], c])
			return 1
	return 0
}

# "| case | ev/s on each set |" rows for the cases listed in names
function rates(names,    an, k, i, n, l) {
	split(names, an, "|")
	for (k = 1; k in an; k++) {
		l = "| " an[k] " |"
		for (i = 1; i <= nsizes; i++) {
			n = size[i]
			if (have[n, an[k]])
				l = l sprintf(" %s ev/s, %.1f MiB |",
				    commas(evs(n, an[k])),
				    rss[n, an[k]] / 1024)
			else
				l = l " - |"
		}
		print l
	}
}

function header(what,    i, line, sep) {
	line = "| " what " |"
	sep = "| --- |"
	for (i = 1; i <= nsizes; i++) {
		line = line " " commas(size[i]) " events |"
		sep = sep " ---: |"
	}
	print line
	print sep
}

function target_header(    i, line, sep) {
	line = "| target |"
	sep = "| --- |"
	for (i = 1; i <= nsizes; i++) {
		line = line " " commas(size[i]) " events |"
		sep = sep " --- |"
	}
	print line " verdict |"
	print sep " --- |"
}

function dedup_section(    i, n, l, c, bound) {
	print ""
	print "## rta-dedup (issue 4)"
	print ""
	print "The frames of the cat section's events (every event_id " \
	    "distinct, so every key is new and the key set grows to the " \
	    "whole set) through `rta-dedup -o rta` (key event_id, no " \
	    "--ttl: nothing is forgotten); on the same event_ids, one per " \
	    "line, `awk '!seen[$0]++'` (mawk) and sort.  `sort, in order` " \
	    "is tests/bench/sort-first.sh, which does what rta-dedup and " \
	    "awk do with sort(1): the first of each key, in input order " \
	    "(number the lines, `sort -s -u` on the key, sort back by " \
	    "number, cut the numbers): the sort anchor of the target, as " \
	    "in DESIGN.md's figures.  Plain `sort -u` is shown beside it: " \
	    "it only sorts the keys, so its output is not the events' " \
	    "order, and no dedup stage could use it.  rta-dedup and sort " \
	    "are not pinned (rta-dedup reads ahead in a second thread, " \
	    "sort sorts in two); awk runs on one core.  Then rta-dedup " \
	    "with `--max-mem 64M`, whose key set moves to a memory-mapped " \
	    "file beyond that."
	print ""
	header("case (events/s, peak RSS)")
	rates("dedup rta|dedup rta --max-mem 64M|awk dedup|sort, in order|" \
	    "sort -u")
	print ""
	target_header()
	target("rta-dedup >= 5,000,000 ev/s", "dedup rta", "", 5000000,
	    "evs")
	target("rta-dedup >= 10x awk '!seen[$0]++'", "dedup rta",
	    "awk dedup", 10, "ratio")
	target("rta-dedup >= 5x sort (first of each key, in order)",
	    "dedup rta", "sort, in order", 5, "ratio")
	# peak RSS within --max-mem + 10%
	c = "dedup rta --max-mem 64M"
	bound = 64 * 1.1
	l = "| peak RSS with --max-mem 64M <= 70.4 MiB |"
	missed = 0
	metcount = 0
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		if (have[n, c])
			l = l " " cell(rss[n, c] / 1024, sprintf("%.1f MiB",
			    rss[n, c] / 1024), bound, 1) " |"
		else
			l = l " not measured |"
	}
	print l " " verdict() " |"
}

function enrich_section(    i, n, l, t, v) {
	print ""
	print "## rta-enrich (issue 4)"
	print ""
	print "rta-gen events of a million users (`--users 1000000`) as " \
	    "frames through `rta-enrich --ref users.csv --on " \
	    "payload.user_id -o rta`: users.csv has a header and " \
	    "1,000,000 rows of six columns, in shuffled order; each event " \
	    "with a user_id gains the object payload.users of the other " \
	    "five.  `enrich load` is the same command on empty input: " \
	    "loading and indexing the table, and exiting.  The event rate " \
	    "is taken net of that (events / (time - load time)).  Not " \
	    "pinned (rta-enrich reads ahead in a second thread)."
	print ""
	header("case (events/s, peak RSS)")
	rates("enrich rta|enrich load")
	print ""
	target_header()
	l = "| table load >= 1,000,000 rows/s |"
	missed = 0
	metcount = 0
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		if (have[n, "enrich load"]) {
			v = 1000000 / sec[n, "enrich load"]
			l = l " " cell(v, commas(v) " rows/s", 1000000, 0) " |"
		} else
			l = l " not measured |"
	}
	print l " " verdict() " |"
	l = "| joins >= 3,000,000 ev/s (net of the load) |"
	missed = 0
	metcount = 0
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		if (have[n, "enrich rta"] && have[n, "enrich load"] &&
		    (t = sec[n, "enrich rta"] - sec[n, "enrich load"]) > 0) {
			v = n / t
			l = l " " cell(v, commas(v) " ev/s", 3000000, 0) " |"
		} else
			l = l " not measured |"
	}
	print l " " verdict() " |"
}

function window_section(    i, n, l, c, d) {
	print ""
	print "## rta-window (issue 5)"
	print ""
	print "rta-gen's stream of 1,000 tenants (`--tenants 1000`, one " \
	    "event a second each, the same seed) as frames and NDJSON; " \
	    "one-minute tumbling windows by tenant_id and event_type " \
	    "(about 20 events a window).  `window rta`: `rta-window " \
	    "--tumbling 1m --by tenant_id,event_type --agg " \
	    "count,sum:payload.value,p95:payload.latency_ms -o rta` on " \
	    "the frames, on one core (the target's setting).  `cat-window " \
	    "ndjson`: `rta-cat -o rta | rta-window ... --agg " \
	    "count,sum:payload.value -o ndjson` from the NDJSON file, " \
	    "the two programs on the machine's two cores.  `duckdb group " \
	    "by`: tests/bench/duckdb_window.mjs, DuckDB (@duckdb/node-api " \
	    "from npm, two threads) computing count(*) and " \
	    "sum(payload.value) grouped by tenant_id, event_type and " \
	    "time_bucket(INTERVAL 1 minute, timestamp) straight from the " \
	    "same NDJSON file, including its start-up (about 0.3 s).  " \
	    "`mlr stats1`: Miller flattening each record, adding the " \
	    "minute and running stats1 count,sum grouped the same way " \
	    "(1M set only).  Before timing, the run checks that " \
	    "rta-window and DuckDB find the same windows holding the " \
	    "same events (see Notes if not)."
	print ""
	header("case (events/s, peak RSS)")
	rates("window rta|cat-window ndjson|duckdb group by|mlr stats1")
	print ""
	target_header()
	target("binary, count + sum + p95, one core >= 3,000,000 ev/s",
	    "window rta", "", 3000000, "evs")
	target("rta-cat piped to rta-window >= 1.5x DuckDB",
	    "cat-window ndjson", "duckdb group by", 1.5, "ratio")
	target("rta-cat piped to rta-window >= 20x Miller stats1",
	    "cat-window ndjson", "mlr stats1", 20, "ratio")
	c = "cat-window ndjson"
	d = "duckdb group by"
	l = "| peak RSS of rta-cat piped to rta-window below DuckDB's |"
	missed = 0
	metcount = 0
	for (i = 1; i <= nsizes; i++) {
		n = size[i]
		if (have[n, c] && have[n, d])
			l = l " " cell(rss[n, c], sprintf("%.1f MiB vs %.1f MiB",
			    rss[n, c] / 1024, rss[n, d] / 1024), rss[n, d],
			    1) " |"
		else
			l = l " not measured |"
	}
	print l " " verdict() " |"
}
