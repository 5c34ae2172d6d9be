# rta-cat emit: key:=json takes any JSON value, kept as written.
rta-cat emit --id e1 --time 2026-01-01T00:00:00Z t a \
    'o:={"a":[1,2.50,"x"],"b":{}}' 'arr:=[]' 's:="q\"\u00e9"' \
    'n:=1.0e-3' 'b:=true' 'nul:=null' 'ws:= [ 1 , 2 ] '
echo "exit $?"
