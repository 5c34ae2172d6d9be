# Without event_type/tenant_id columns, --type and --tenant set them for
# every row; --time-col, --id-col and --version-col name other columns,
# and rows without an id column get a stable derived id.
printf 'ts,user,v,ver\n2026-01-01T00:00:00Z,u1,1,3\n1767225601,u2,x y,4\n' >a.csv
rta-cat --from csv --time-col ts --version-col ver --type click \
    --tenant acme a.csv >o1
echo "exit $?"
cat o1
rta-cat --from csv --time-col ts --version-col ver --type click \
    --tenant acme a.csv >o2
cmp o1 o2 && echo "the same ids on a second run"
printf 'id,when,kind,who\nA,2026-01-01T00:00:00Z,k,w\n' >b.csv
rta-cat --from csv --id-col id --time-col when --type-col kind \
    --tenant-col who b.csv
echo "exit $?"
