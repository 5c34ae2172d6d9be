# Usage errors exit 2 before any input is read, with the usage line.
for args in "--bogus" "--on payload.user_id" \
    "--ref $DATA/enrich/users.csv" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --missing maybe" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --prefix p --into q" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --missing default" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --default x" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --missing drop --default a=1" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --valid-from f" \
    "--ref $DATA/enrich/users.csv --on payload. " \
    "--ref $DATA/enrich/users.csv --on payload.user_id --fields a,,b" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --on tenant_id" \
    "--ref users.txt --on payload.user_id" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --ref-format tsv" \
    "--ref $DATA/enrich/users.csv --on payload.user_id --reload-interval 0" \
    "--keys k" \
    ""; do
	rta-enrich $args </dev/null 2>err
	echo "exit $? for: $(echo "$args" | sed "s|$DATA/||g")"
	sed "s|$DATA/||g" err | head -1
done
