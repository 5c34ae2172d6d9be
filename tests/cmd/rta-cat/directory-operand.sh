# A directory operand is an I/O error; the files around it are read.
rta-gen -c 2 >a.ndjson
mkdir dir
rta-cat dir a.ndjson >out
echo "exit $?"
cmp a.ndjson out && echo "a copied"
