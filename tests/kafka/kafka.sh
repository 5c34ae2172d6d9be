# kafka.sh: sourced by the Kafka command tests (tests/cmd/kafka/*.sh).
# They run kcat and the pipeline against mock-kafka, a cluster in a
# process of its own, on loopback.
#
#   start_mock -b 3 -t events:4   start the cluster; sets $B, the bootstrap
#                                 list; it stops when the test's shell ends
#   wait_for SECONDS 'COMMAND'    run COMMAND every 50 ms until it succeeds;
#                                 status 1 after SECONDS
#   spawn NAME COMMAND ...        run COMMAND in the background, its pid in
#                                 pid.NAME (one per line for several)
#   produce N                     send the next N files listed in ./chunks
#                                 to topic events, 0.2 s apart
#
# $KP holds the options of a producing kcat, $KC those of a consuming
# one: the mock does not wake a waiting fetch when a message arrives, so
# fetches wait 10 ms, not 500.

# A test stopped by a signal still runs its EXIT trap (which stops the
# consumers: with the broker gone, kcat would retry for ever).
trap 'exit 1' HUP INT TERM

# the next $1 files named in ./chunks (key<TAB>json lines) to topic
# events, a little apart, struck from the list
produce() {
	for c in $(sed -n "1,$1p" chunks); do
		kcat -P $KP -t events -K '\t' <"$c" || echo "kcat -P: exit $?"
		sleep 0.2
	done
	sed -i "1,$1d" chunks
}

wait_for() {
	_wf_end=$(($(date +%s) + $1))
	while ! eval "$2"; do
		[ "$(date +%s)" -le "$_wf_end" ] || return 1
		sleep 0.05
	done
}

# The broker's standard input is a FIFO whose one writer is this shell's
# fd 9: when the test ends, even killed, the broker reads its end and stops.
start_mock() {
	mkfifo mock.ctl
	mock-kafka "$@" <mock.ctl >mock.boot 2>mock.err &
	mock_pid=$!
	exec 9>mock.ctl
	wait_for 20 'grep -q . mock.boot' ||
	    { echo "mock-kafka did not start"; cat mock.err; exit 1; }
	B=$(cat mock.boot)
	KP="-b $B -q"
	KC="$KP -X fetch.wait.max.ms=10"
}

stop_mock() {
	exec 9>&-
	wait "$mock_pid"
}

# A process whose pid a test needs (to kill it) runs through sh -c,
# which writes its pid and then becomes the command.
spawn() {
	_sp_name=$1
	shift
	sh -c 'echo $$ >>"pid.$0"; exec "$@"' "$_sp_name" "$@"
}

# Send signal $1 to every process of pid.$2; status 1 if one was gone.
kill_all() {
	_ka_st=0
	[ -f "pid.$2" ] || return 0
	for _ka_p in $(cat "pid.$2"); do
		kill "-$1" "$_ka_p" 2>/dev/null || _ka_st=1
	done
	return $_ka_st
}

# The end offset of each partition of topic $1, as "partition offset".
end_offsets() {
	kcat -C $KC -t "$1" -o -1 -e -f '%p %o\n' |
	    awk '{ print $1, $2 + 1 }' | sort -n
}
