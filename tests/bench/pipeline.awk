# tests/bench/pipeline.awk: the pipeline section of RESULTS.md, called
# from stages.awk's END before the notes (run.sh loads it with
# report.awk, whose functions commas, cell and verdict it uses).
# Variable: ptsv, run.sh's pipeline rows: "run" (set, case, wall ns,
# CPU s, peak RSS KiB of the largest process; one a run), "counts" (set,
# records in, malformed, invalid, valid, duplicates, distinct, enriched,
# windowed, too late, windows, raw events stored, windows stored,
# balanced yes/no), "duck" (set, lines, valid, distinct, joined,
# groups, events counted, same yes/no) and "fresh" (events/s, seconds,
# wall ns of the run, events sampled, never seen, freshness p50, p90,
# p99, max, polls, staleness p50, p99; ms; the minutes whose last count
# was not the events sent).

function pipeline_read(    l, f, k, n) {
	n = p_nn = 0
	while ((getline l < ptsv) > 0) {
		split(l, f, "\t")
		n++
		if (f[1] != "fresh" && !((f[2]) in p_seen)) {
			p_seen[f[2]] = 1
			p_size[++p_nn] = f[2]
		}
		if (f[1] == "run") {
			k = f[2] SUBSEP f[3]
			if (!(k in p_sec)) {
				p_runs[k] = 1
				p_sec[k] = f[4] / 1e9
				p_cpu[k] = f[5]
				p_rss[k] = f[6]
			} else {
				p_runs[k]++
				if (f[4] / 1e9 < p_sec[k])
					p_sec[k] = f[4] / 1e9
				if (f[5] < p_cpu[k])
					p_cpu[k] = f[5]
				if (f[6] > p_rss[k])
					p_rss[k] = f[6]
			}
		} else if (f[1] == "counts")
			p_counts[f[2]] = l
		else if (f[1] == "duck")
			p_duck[f[2]] = l
		else if (f[1] == "stages")
			p_stages[f[2]] = l
		else if (f[1] == "fresh")
			p_fresh = l
	}
	close(ptsv)
	return n > 0
}

function pipeline_section(    i, j, n, k, c, f, d, l, pn, dk) {
	print ""
	print "## The whole pipeline (issue 9)"
	print ""
	print "Events: rta-gen with 1,000 tenants and users drawn from a " \
	    "million, 0.1% of them late (10 minutes or more behind), 1% " \
	    "re-sent duplicates and 0.1% malformed records (bad JSON, bad " \
	    "UTF-8, missing fields, bad timestamps), as NDJSON."
	print ""
	print "- `rta pipeline`: tests/bench/pipeline_run.sh, the stages " \
	    "and options of examples/pipeline.sh without its watch: " \
	    "`rta-cat -o rta | rta-validate -s tests/bench/data/pipeline " \
	    "| rta-dedup --ttl 1h --state D | rta-enrich --ref users.csv " \
	    "--on payload.user_id | tee` to `rta-store ingest -d events` " \
	    "(the raw events) and `| rta-window --tumbling 1m --by " \
	    "tenant_id,event_type --agg count,sum:payload.value " \
	    "--max-delay 5s --allowed-lateness 15m | rta-store ingest -d " \
	    "m`, every stage with --metrics, dead letters, duplicates and " \
	    "late events kept in files.  The schemas require the members " \
	    "of each event type's payload and their types; users.csv is " \
	    "the enrich section's table of 1,000,000 users, loaded at " \
	    "each run.  Each run starts from a fresh store (made, and the " \
	    "disk synced, untimed) and is timed from the first byte read " \
	    "to the exit of the last `rta-store ingest`, after its last " \
	    "commit (fsync); not pinned: the seven processes share the " \
	    "two cores.  CPU s is user + system of every stage; peak RSS " \
	    "is the largest process's."
	print "- `duckdb`: tests/bench/pipeline_duckdb.mjs, two threads, " \
	    "the same work in SQL over the same NDJSON file into a " \
	    "database file of its own: read_json_objects (lines that are " \
	    "not JSON dropped), the same envelope, member and type checks " \
	    "(failing rows dropped), the first row of each event_id " \
	    "(row_number over the file order), a LEFT JOIN with " \
	    "users.csv (loaded at each run), the joined rows kept as a " \
	    "table and count and sum(payload.value) per tenant, event " \
	    "type and minute as another, then CHECKPOINT; the whole node " \
	    "process timed.  DuckDB has no watermark: it counts the late " \
	    "events rta-window sets aside, in the windows they belong to."
	print ""
	print "rta and DuckDB runs are taken in turn; the best of each is " \
	    "shown."
	print ""
	print "| case | set (events) | runs | best s | events/s | CPU s | " \
	    "events per CPU second | peak RSS MiB |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("rta|duckdb", c, "|")
	split("rta pipeline|duckdb", pn, "|")
	for (i = 1; i <= p_nn; i++) {
		n = p_size[i]
		for (j = 1; j <= 2; j++) {
			k = n SUBSEP c[j]
			if (!(k in p_sec))
				continue
			d = "-"
			if (p_cpu[k] > 0)
				d = commas(n / p_cpu[k])
			printf "| %s | %s | %d | %.3f | %s | %.2f | %s | " \
			    "%.1f |\n", pn[j], commas(n), p_runs[k], p_sec[k],
			    commas(n / p_sec[k]), p_cpu[k], d, p_rss[k] / 1024
		}
	}
	print ""
	print "| ratio | set (events) | by wall time | by CPU time |"
	print "| --- | ---: | ---: | ---: |"
	for (i = 1; i <= p_nn; i++) {
		n = p_size[i]
		if (!((n, "rta") in p_sec) || !((n, "duckdb") in p_sec))
			continue
		d = "-"
		if (p_cpu[n, "rta"] > 0)
			d = sprintf("%.2fx",
			    p_cpu[n, "duckdb"] / p_cpu[n, "rta"])
		printf "| rta events/s / DuckDB's | %s | %.2fx | %s |\n",
		    commas(n), p_sec[n, "duckdb"] / p_sec[n, "rta"], d
	}
	print ""
	print "Counts of the last rta run, from the stages' --metrics " \
	    "files and `rta-store stats` (balanced: every stage's " \
	    "records in = out + rejected + dropped, each stage reads what " \
	    "the one before wrote, the raw dataset holds what rta-dedup " \
	    "passed and the aggregate dataset the windows rta-window " \
	    "wrote), and DuckDB's:"
	print ""
	print "| set (events) | malformed (rta-cat) | invalid " \
	    "(rta-validate) | duplicates | too late | raw events stored | " \
	    "windows stored | balanced | DuckDB: valid, distinct, " \
	    "counted | same |"
	print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | " \
	    "---: | --- |"
	for (i = 1; i <= p_nn; i++) {
		n = p_size[i]
		if (!(n in p_counts))
			continue
		split(p_counts[n], f, "\t")
		l = "not run"
		d = "-"
		if (n in p_duck) {
			split(p_duck[n], dk, "\t")
			l = commas(dk[4]) ", " commas(dk[5]) ", " \
			    commas(dk[8])
			d = dk[9] == "yes" ? "yes" : "**NO**"
		}
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		    commas(n), commas(f[4]), commas(f[5]), commas(f[7]),
		    commas(f[11]), commas(f[13]), commas(f[14]),
		    f[15] == "yes" ? "yes" : "**NO**", l, d
	}
	print ""
	print "Same: DuckDB reads every line, keeps as valid the events " \
	    "rta-validate passes and as distinct those rta-dedup passes, " \
	    "and counts each of them once in its groups (rta-window's " \
	    "windowed events plus the late ones it set aside)."
	for (i = 1; i <= p_nn; i++) {
		n = p_size[i]
		if (!(n in p_stages))
			continue
		print ""
		printf "The stages of that run on %s events, CPU seconds " \
		    "(user + system) and peak RSS:\n", commas(n)
		print ""
		print "| stage | CPU s | share | events per CPU second | " \
		    "peak RSS MiB |"
		print "| --- | ---: | ---: | ---: | ---: |"
		k = split(p_stages[n], f, "\t")
		d = 0
		for (j = 3; j <= k; j++) {
			split(f[j], dk, " ")
			d += dk[2]
		}
		for (j = 3; j <= k; j++) {
			split(f[j], dk, " ")
			printf "| %s | %.2f | %.0f%% | %s | %.1f |\n", dk[1],
			    dk[2], (d > 0 ? 100 * dk[2] / d : 0),
			    (dk[2] > 0 ? commas(n / dk[2]) : "-"),
			    dk[3] / 1024
		}
	}
	if (p_fresh != "") {
		split(p_fresh, f, "\t")
		print ""
		print "### Freshness"
		print ""
		printf "A live run: `rta-gen --start T --rate %s -d %ss " \
		    "--users 1000000` (ten tenants; event time advances " \
		    "1/rate a record from T, the wall clock when it " \
		    "starts, and rta-gen paces its output to the wall " \
		    "clock, so an event's time is the time it is sent) " \
		    "through the same pipeline with `rta-window " \
		    "--emit-every 1s` (an open window's counts are " \
		    "written each second of event time) into a fresh " \
		    "store, while `rta-query --http` (behind socat, as in " \
		    "the query section) is asked every 50 ms, on one " \
		    "keep-alive connection, for tenant t0000's counts in " \
		    "one-minute buckets (tests/bench/pipeline_fresh.mjs).  " \
		    "The run took %.1f s.  rta-gen run again with the same " \
		    "seed and start writes the same events, which gives " \
		    "the time of t0000's k-th event of each minute.  An " \
		    "event's freshness is the arrival of the first answer " \
		    "whose count for its minute reaches it, less its event " \
		    "time: the time from its sending to its window being " \
		    "visible with it counted, to within the 50 ms between " \
		    "polls and the answer's own latency (both counted).  " \
		    "The tenant's events of the first 5 s are left out " \
		    "(rta-enrich loads its million-row table then); a " \
		    "poll's staleness is its arrival less the time of the " \
		    "newest event its counts include.  With " \
		    "--emit-every 1s an event waits up to a second for " \
		    "the next emission, so the p99 of freshness is about " \
		    "990 ms plus the pipeline's own latency.", f[2], f[3],
		    f[4] / 1e9
		if (f[14] == "0")
			printf "  The last answer counted every one of " \
			    "t0000's events sent."
		else if (f[14] != "")
			printf "  **In %s minutes the last answer's count " \
			    "was not the events sent.**", f[14]
		print ""
		print ""
		print "| events/s | seconds | t0000's events sampled | " \
		    "never seen | freshness p50 ms | p90 ms | p99 ms | max " \
		    "ms | polls | staleness p50 ms | p99 ms |"
		print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | " \
		    "---: | ---: | ---: | ---: |"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | " \
		    "%s |\n", commas(f[2]), f[3], commas(f[5]), commas(f[6]),
		    f[7], f[8], f[9], f[10], commas(f[11]), f[12], f[13]
	}
	print ""
	print "| target | measured | verdict |"
	print "| --- | --- | --- |"
	for (i = 1; i <= p_nn; i++) {
		n = p_size[i]
		missed = 0
		metcount = 0
		l = "not measured"
		if ((n, "rta") in p_sec)
			l = cell(n / p_sec[n, "rta"],
			    commas(n / p_sec[n, "rta"]) " ev/s", 1000000, 0)
		print "| whole pipeline, NDJSON in, >= 1,000,000 ev/s on " \
		    "this machine (" nproc " cores), " commas(n) " events | " \
		    l " | " verdict() " |"
	}
	missed = 0
	metcount = 0
	l = "not measured"
	if (p_fresh != "" && f[9] != "-" && f[6] == 0)
		l = cell(f[9], f[9] " ms", 1000, 1)
	else if (p_fresh != "")
		l = cell(1e9, "p99 " f[9] " ms, " f[6] " events never " \
		    "seen", 1000, 1)
	print "| freshness p99 < 1 s at 100,000 ev/s, --emit-every 1s | " \
	    l " | " verdict() " |"
	for (i = 1; i <= p_nn; i++) {
		n = p_size[i]
		if (((n, "rta") in p_sec) && ((n, "duckdb") in p_sec))
			printf "| rta / DuckDB (no target), %s events | " \
			    "%.2fx | - |\n", commas(n),
			    p_sec[n, "duckdb"] / p_sec[n, "rta"]
	}
	print ""
	print "The events/s target is checked by wall time on every set."
}
