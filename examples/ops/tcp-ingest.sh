#!/bin/sh
# tcp-ingest.sh: producers send NDJSON or rta frames to a TCP port, any
# number at once, and one pipeline (pipeline.sh) takes them all.
#
#	usage: tcp-ingest.sh port fifo pipeline.sh-option ...
#
# socat forks a process per connection; each runs its own rta-cat, which
# checks the connection's records and writes each one as an NDJSON line
# with a single write(2) into the FIFO, so that lines of two producers
# never tear each other (writes to a pipe of up to PIPE_BUF, 4096 bytes,
# are atomic: a longer record can still tear).  Sharing socat's own
# output instead would tear lines wherever its reads cut them.  The
# pipeline opens the FIFO for reading and writing, so that it does not
# see an end of input between connections.  RTA_BIND is the address to
# listen on (default 127.0.0.1); RTA_BIN the directory of the programs.
set -eu
[ $# -ge 2 ] || {
	echo "usage: tcp-ingest.sh port fifo pipeline.sh-option ..." >&2
	exit 2
}
here=$(cd "$(dirname "$0")/.." && pwd)
b=${RTA_BIN:+$RTA_BIN/}
port=$1
fifo=$2
shift 2
[ -p "$fifo" ] || mkfifo -m 600 "$fifo"

sh "$here/pipeline.sh" "$@" <>"$fifo" &
pipeline=$!
trap 'kill $pipeline 2>/dev/null' EXIT
trap 'exit 143' INT TERM HUP
socat -u TCP-LISTEN:"$port",bind="${RTA_BIND:-127.0.0.1}",reuseaddr,fork \
    SYSTEM:"exec ${b}rta-cat -q -u -o ndjson >>'$fifo'"
