# Combinations that cannot work are usage errors (exit 2, a message, the
# usage line, a pointer to --help), found before any input is read.
cp -R "$DATA/validate/schemas" schemas
cp "$DATA/validate/document.json" document.json
u() {
	rta-validate "$@" nosuch.ndjson >out 2>err
	echo "$*: exit $?, $(wc -c <out) bytes out"
	head -1 err
	sed -n '2p;$p' err | cut -c1-40
}
u
u -s schemas --schema document.json
u --raw
u --raw -s schemas
u --raw --schema document.json -o rta
u --upgrade --schema document.json
u --raw --schema document.json --upgrade
u --raw --schema document.json --unknown pass
u --raw --schema document.json --max-future 1h
u --raw --schema document.json --max-past 1h
u drift
u drift -s schemas --schema document.json
