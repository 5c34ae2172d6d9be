# Escapes, control characters, non-ASCII text, odd numbers and the ends of
# the time range survive NDJSON -> rta -> NDJSON byte for byte.
{
	rta-cat emit --id 'i d\"' --time 0 'ty"pe' 'tén\ant' 'k"ey=v\al' \
	    'tab=a	b' 'uni=日本語' 'emoji=😀' 'nl=a
b' 'raw:="\u001f\ud83d\ude00\/\u00e9"' \
	    'arr:=[[],{},[{}],-1.5e-300,1E+2,-0,0.0,1e308]' 'd=1.0' \
	    'big:=9223372036854775807' 'small:=-9223372036854775808' \
	    'del:="\u007f"' 'bom:="\ufeff"' 'nested:={"a":{"b":[null,true,false,""]}}'
	rta-cat emit --id max --time 9999-12-31T23:59:59.999999Z t x
	rta-cat emit --id min --time 0001-01-01T00:00:00Z t x
	rta-cat emit --id v --schema-version 4294967295 --time 1 t x
} >odd.ndjson
cat odd.ndjson
rta-cat -o rta odd.ndjson >odd.rta
echo "to rta: exit $?"
rta-cat -o ndjson odd.rta >back.ndjson
echo "back: exit $?"
cmp odd.ndjson back.ndjson && echo identical
