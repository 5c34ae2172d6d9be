# A terminal gets NDJSON even from rta input; -o rta to a terminal is
# refused (exit 2), for validate and for drift --report.
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 2 -o rta >in.rta
script -qec "rta-validate -s schemas in.rta; echo \"exit \$?\"" /dev/null </dev/null |
    tr -d '\r' >out
cat out
script -qec "rta-validate -s schemas -o rta in.rta; echo \"exit \$?\"" /dev/null \
    </dev/null | tr -d '\r' >out
grep -v '^     \|^usage:' out
script -qec "rta-validate drift -s schemas --report r -o rta in.rta; echo \"exit \$?\"" \
    /dev/null </dev/null | tr -d '\r' >out
grep -v '^     \|^usage:' out
