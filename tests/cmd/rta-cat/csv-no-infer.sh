# --no-infer keeps every payload field a string.
rta-cat --from csv --no-infer "$DATA/events.csv" >out
echo "exit $?"
cat out
