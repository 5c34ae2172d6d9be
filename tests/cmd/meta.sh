#!/bin/sh
# Cross-checks that keep the docs true to the programs:
#  - each program's usage line equals its man page SYNOPSIS;
#  - every long option in --help is in the man page and in the bash, zsh
#    and fish completions;
#  - mandoc -Tlint finds nothing in man/.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${RTA_BIN:?set RTA_BIN}"
fail=0
norm() { tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'; }

for bin in "$RTA_BIN"/rta-*; do
	prog=$(basename "$bin")
	case $prog in *.*) continue ;; esac
	page=$top/man/$prog.1
	if [ ! -f "$page" ]; then
		echo "meta: $prog has no man page"; fail=1; continue
	fi
	usage=$("$bin" --help | sed -n '1,/^$/p' | sed 's/^usage: //' | norm)
	synopsis=$(MANWIDTH=200 mandoc -Tascii "$page" | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | norm)
	if [ "$usage" != "$synopsis" ]; then
		echo "meta: $prog: usage and man SYNOPSIS differ"
		echo "  usage:    $usage"
		echo "  synopsis: $synopsis"
		fail=1
	fi
	for opt in $("$bin" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
		grep -q -- "Fl ${opt#-}" "$page" ||
		    { echo "meta: $prog: $opt not in man/$prog.1"; fail=1; }
		grep -q -- "$opt" "$top/completions/bash/rta" ||
		    { echo "meta: $prog: $opt not in the bash completion"; fail=1; }
		grep -q -- "$opt" "$top/completions/zsh/_rta" ||
		    { echo "meta: $prog: $opt not in the zsh completion"; fail=1; }
		grep -q -- "-l ${opt#--}" "$top/completions/fish/$prog.fish" \
		    2>/dev/null ||
		    { echo "meta: $prog: $opt not in the fish completion"; fail=1; }
	done
done
if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -Tlint -Wwarning "$top"/man/*.[157] 2>&1)
	if [ -n "$out" ]; then
		echo "meta: mandoc -Tlint:"; echo "$out"; fail=1
	fi
else
	echo "meta: mandoc not installed"; fail=1
fi
[ $fail = 0 ] && echo "meta: ok"
exit $fail
