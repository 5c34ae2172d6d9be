#!/bin/sh
# sort-first.sh: the first occurrence of each input line, in input order,
# done with sort(1), as one would without rta-dedup or awk's hash: number
# the lines, keep the first of each run of equal lines (sort -s -u keeps
# the earliest), put the survivors back in input order, drop the numbers.
tab=$(printf '\t')
awk '{ print NR "\t" $0 }' | sort -s -u -t "$tab" -k2 |
    sort -t "$tab" -k1,1n | cut -f2-
