# rta-gen -o rta to a terminal is refused (exit 2); NDJSON is fine.
script -qec "rta-gen -c 1 -o rta; echo \"exit \$?\"" /dev/null </dev/null | tr -d '\r' >out
grep -v '^     \|^usage:' out
script -qec "rta-gen -c 1; echo \"exit \$?\"" /dev/null </dev/null | tr -d '\r' >out
cut -c 1-40 out
