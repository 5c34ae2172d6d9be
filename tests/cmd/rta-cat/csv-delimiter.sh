# --delimiter tab (or \t, or one character) reads TSV and the like.
printf 'timestamp\tevent_type\ttenant_id\tnote\n1767225600\tt\ta\tx,y\n' >a.tsv
rta-cat --from csv --delimiter tab a.tsv
echo "tab: exit $?"
rta-cat --from csv --delimiter '\t' a.tsv
printf '%s\n' "\\t: exit $?"
tr '\t' ';' <a.tsv >a.ssv
rta-cat --from csv --delimiter ';' a.ssv
echo "';': exit $?"
rta-cat --from csv --delimiter ';;' a.ssv
echo "';;': exit $?"
