# A terminal gets NDJSON even from rta input; -o rta to a terminal is
# refused (exit 2) rather than spraying binary on it.
rta-gen -c 2 -o rta >in.rta
script -qec "rta-cat in.rta; echo \"exit \$?\"" /dev/null </dev/null | tr -d '\r' >out
cat out
script -qec "rta-cat -o rta in.rta; echo \"exit \$?\"" /dev/null </dev/null | tr -d '\r' >out
grep -v '^     \|^usage:' out
script -qec "rta-cat emit -o rta t a; echo \"exit \$?\"" /dev/null </dev/null | tr -d '\r' >out
grep -v '^     \|^usage:' out
