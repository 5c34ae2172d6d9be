# -f follows one file: several file operands are a usage error.
rta-gen -c 1 >a
rta-gen -c 1 >b
rta-cat -f a b >out
echo "exit $?, $(wc -c <out) bytes"
