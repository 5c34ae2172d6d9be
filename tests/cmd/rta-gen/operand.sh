# rta-gen takes no operands (not even -): a usage error, nothing written.
rta-gen -c 3 - >out
echo "exit $?, $(wc -c <out) bytes"
rta-gen -c 3 file >out
echo "exit $?, $(wc -c <out) bytes"
