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

# ---- the export section ------------------------------------------------------

# Read from xtsv (run.sh's export rows): "build" (set, ns of ingest and
# of compaction, store bytes, 1 if built in this run), "copy" (set,
# case, runs, wall s, CPU s, rows, bytes, files, peak RSS KiB or "-"; a
# row per run, the best taken), "check" (set, rta's rows, rows of rta's
# not in DuckDB's, DuckDB's rows) and "scan" (set, reader, column,
# values, nulls or "-", best wall s, best CPU s).
END {
	if (xtsv != "" && export_read())
		export_section()
}

function export_read(    l, f, k) {
	x_nn = x_nc = 0
	while ((getline l < xtsv) > 0) {
		split(l, f, "\t")
		if (!((f[2]) in x_seen)) {
			x_seen[f[2]] = 1
			x_size[++x_nn] = f[2]
		}
		if (f[1] == "build") {
			x_ing[f[2]] = f[3] / 1e9
			x_cmp[f[2]] = f[4] / 1e9
			x_sbytes[f[2]] = f[5]
			x_built[f[2]] = f[6]
		} else if (f[1] == "copy") {
			k = f[2] SUBSEP f[3]
			if (!(f[3] in x_cseen)) {
				x_cseen[f[3]] = 1
				x_case[++x_nc] = f[3]
			}
			if (!(k in x_sec)) {
				x_runs[k] = f[4]
				x_sec[k] = f[5]
				x_cpu[k] = f[6]
				x_rss[k] = f[10]
			} else {
				x_runs[k] += f[4]
				if (f[5] < x_sec[k])
					x_sec[k] = f[5]
				if (f[6] < x_cpu[k])
					x_cpu[k] = f[6]
				if (f[10] != "-" && f[10] > x_rss[k])
					x_rss[k] = f[10]
			}
			x_rows[k] = f[7]
			x_bytes[k] = f[8]
			x_files[k] = f[9]
		} else if (f[1] == "check") {
			x_chk[f[2]] = f[3] SUBSEP f[4] SUBSEP f[5]
		} else if (f[1] == "scan") {
			k = f[2] SUBSEP f[3] SUBSEP f[4]
			x_sv[k] = f[5]
			x_snull[k] = f[6]
			x_ss[k] = f[7]
			x_scpu[k] = f[8]
		}
	}
	close(xtsv)
	return x_nn > 0
}

function export_section(    i, j, n, k, c, r, l, d, a, pn) {
	x_rta = "rta-store export"
	x_duck = "duckdb COPY, 2 threads"
	print ""
	print "## Cold export (Parquet)"
	print ""
	print "The cat section's events (rta-gen's defaults: 10 tenants, " \
	    "one event every 100 ms, about 1.2 days a million) are " \
	    "ingested into a store (`rta-store ingest -d ev " \
	    "--close-after 0 --max-future 0`, then `rta-store compact`; " \
	    "untimed, kept while the events and rta-store are unchanged), " \
	    "and written out as one zstd Parquet file per tenant and day " \
	    "in Hive partitions (tenant_id=T/year=Y/month=M/day=D), the " \
	    "payload's members as typed columns."
	print ""
	print "- `rta-store export`: `rta-store export -s S --cold C " \
	    "--before 2100-01-01` into a cold directory removed and " \
	    "synced before each run (untimed), not pinned: it compresses " \
	    "pages in a second thread, as DuckDB's COPY uses two; zstd " \
	    "level 3, " \
	    "each file and directory fsynced before it is renamed into " \
	    "place.  Time from start to exit; CPU s from /usr/bin/time."
	print "- `duckdb COPY`: tests/bench/export_duckdb.mjs: the same " \
	    "rows as a table of DuckDB's own database file, loaded " \
	    "(untimed) from the NDJSON with the columns and types of " \
	    "rta's files and tenant_id, then `COPY (SELECT * EXCLUDE " \
	    "(tenant_id), tenant_id, year, month and day of the " \
	    "timestamp) TO dir (FORMAT parquet, COMPRESSION zstd, " \
	    "PARTITION_BY (tenant_id, year, month, day))`, timed around " \
	    "the COPY alone (performance.now(); CPU s from " \
	    "process.cpuUsage(), all threads), with 2 threads (the " \
	    "machine's cores; the target's anchor) and with 1 (pinned).  " \
	    "DuckDB does not fsync the files it writes."
	print ""
	print "rta and DuckDB runs are taken in turn; each case's best is " \
	    "shown.  Bytes are the sum of the *.parquet files."
	for (i = 1; i <= x_nn; i++) {
		n = x_size[i]
		if (!(n in x_ing))
			continue
		d = "built by an earlier run"
		if (x_built[n])
			d = "built in this run"
		print ""
		printf "%s events: the store, %s bytes, %s (ingest %.1f s, " \
		    "compaction %.1f s).\n", commas(n), commas(x_sbytes[n]),
		    d, x_ing[n], x_cmp[n]
	}
	print ""
	print "| case | set (events) | runs | best s | rows/s | CPU s | " \
	    "rows/s by CPU | bytes | bytes a row | files | peak RSS MiB |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | " \
	    "---: | ---: | ---: |"
	for (i = 1; i <= x_nn; i++) {
		n = x_size[i]
		for (j = 1; j <= x_nc; j++) {
			k = n SUBSEP x_case[j]
			if (!(k in x_sec))
				continue
			r = "-"
			if (x_cpu[k] > 0)
				r = commas(x_rows[k] / x_cpu[k])
			d = "-"
			if (x_rss[k] != "-")
				d = sprintf("%.1f", x_rss[k] / 1024)
			printf "| %s | %s | %d | %.3f | %s | %.2f | %s | %s | " \
			    "%.1f | %d | %s |\n", x_case[j], commas(n),
			    x_runs[k], x_sec[k], commas(x_rows[k] / x_sec[k]),
			    x_cpu[k], r, commas(x_bytes[k]),
			    x_bytes[k] / x_rows[k], x_files[k], d
		}
	}
	print ""
	print "| ratio | set (events) | rows/s, by wall time | " \
	    "rows/s, by CPU time | bytes (rta / DuckDB) |"
	print "| --- | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= x_nn; i++) {
		n = x_size[i]
		for (j = 1; j <= x_nc; j++) {
			c = x_case[j]
			if (c == x_rta || !((n, c) in x_sec) ||
			    !((n, x_rta) in x_sec))
				continue
			r = "-"
			if (x_cpu[n, x_rta] > 0)
				r = sprintf("%.2fx",
				    x_cpu[n, c] / x_cpu[n, x_rta])
			printf "| rta / %s | %s | %.2fx | %s | %.3fx |\n", c,
			    commas(n), x_sec[n, c] / x_sec[n, x_rta], r,
			    x_bytes[n, x_rta] / x_bytes[n, c]
		}
	}
	for (i = 1; i <= x_nn; i++) {
		n = x_size[i]
		if (!(n in x_chk))
			continue
		split(x_chk[n], a, SUBSEP)
		d = " **(differ)**"
		if (a[1] == n && a[3] == n && a[2] == "0")
			d = ": the same rows in the same partitions"
		print ""
		printf "Check on %s events (DuckDB, untimed): rta's files " \
		    "hold %s rows, DuckDB's %s; rows of rta's not in " \
		    "DuckDB's (EXCEPT ALL on tenant_id, year, month, day, " \
		    "event_id, timestamp, event_type, payload_value, " \
		    "payload_url, payload_latency_ms): %s%s.\n", commas(n),
		    commas(a[1]), commas(a[3]), a[2], d
	}

	print ""
	print "Reading rta's files (those of the last run): " \
	    "tests/bench/pq_scan.c, linked with librta.a, on one core, " \
	    "maps each file, opens it (rta_pq_open) and sums one column " \
	    "of every row group through rta_pq_cursor_next in batches of " \
	    "4,096; values count every row read, nulls included.  " \
	    "DuckDB, one thread (pinned): `SELECT count(*), " \
	    "sum(epoch_us(timestamp))` (or `sum(payload_value)`) `FROM " \
	    "read_parquet(...)` over the same files; the sums must agree.  " \
	    "Best of the runs, by wall and by CPU time (the target is " \
	    "checked by wall time; on a loaded machine the CPU time says " \
	    "what one core of its own would do)."
	print ""
	print "| reader | column | set (events) | values | nulls | best s | " \
	    "values/s | CPU s | values/s by CPU |"
	print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("pq_scan|duckdb", a, "|")
	split("pq_scan (librta)|DuckDB, 1 thread", pn, "|")
	split("timestamp|payload_value", x_col, "|")
	for (i = 1; i <= x_nn; i++) {
		n = x_size[i]
		for (j = 1; j <= 2; j++)
			for (c = 1; c <= 2; c++) {
				k = n SUBSEP a[j] SUBSEP x_col[c]
				if (!(k in x_sv))
					continue
				d = "-"
				if (x_snull[k] != "-")
					d = commas(x_snull[k])
				r = "-"
				if (x_scpu[k] > 0)
					r = commas(x_sv[k] / x_scpu[k])
				printf "| %s | %s | %s | %s | %s | %.4f | %s " \
				    "| %.4f | %s |\n", pn[j], x_col[c],
				    commas(n), commas(x_sv[k]), d, x_ss[k],
				    commas(x_sv[k] / x_ss[k]), x_scpu[k], r
			}
	}

	print ""
	l = "| target |"
	d = "| --- |"
	for (i = 1; i <= x_nn; i++) {
		l = l " " commas(x_size[i]) " events |"
		d = d " --- |"
	}
	print l " verdict |"
	print d " --- |"
	export_target("rta-store export >= 1.5x DuckDB's COPY (2 threads) " \
	    "rows/s", "speed", 1.5)
	export_target("output bytes <= 1.1x DuckDB's", "bytes", 1.1)
	export_target("reader, timestamp column >= 50,000,000 values/s, " \
	    "one core", "timestamp", 50000000)
	export_target("reader, payload_value (double) column >= " \
	    "50,000,000 values/s, one core", "payload_value", 50000000)
	print ""
	print "The speed target is checked by wall time; the CPU-time " \
	    "ratios are above."
}

function export_target(label, what, bound,    i, n, l, v, k, d) {
	missed = 0
	metcount = 0
	l = "| " label " |"
	for (i = 1; i <= x_nn; i++) {
		n = x_size[i]
		v = ""
		if (what == "speed" && ((n, x_rta) in x_sec) &&
		    ((n, x_duck) in x_sec)) {
			v = x_sec[n, x_duck] / x_sec[n, x_rta]
			d = sprintf("%.2fx", v)
			if (x_cpu[n, x_rta] > 0)
				d = d sprintf(" (by CPU %.2fx)",
				    x_cpu[n, x_duck] / x_cpu[n, x_rta])
			l = l " " cell(v, d, bound, 0) " |"
		} else if (what == "bytes" && ((n, x_rta) in x_sec) &&
		    ((n, x_duck) in x_sec)) {
			v = x_bytes[n, x_rta] / x_bytes[n, x_duck]
			# at most the bound: cell's below is strict
			l = l " " cell(v, sprintf("%.3fx", v), bound + 1e-9,
			    1) " |"
		} else if (what != "speed" && what != "bytes" &&
		    ((n, "pq_scan", what) in x_sv)) {
			k = n SUBSEP "pq_scan" SUBSEP what
			v = x_sv[k] / x_ss[k]
			d = commas(v)
			if (x_scpu[k] > 0)
				d = d " (by CPU " commas(x_sv[k] / x_scpu[k]) ")"
			l = l " " cell(v, d, bound, 0) " |"
		} else
			l = l " not measured |"
	}
	print l " " verdict() " |"
}
