# Empty input, from stdin or a file, writes nothing and succeeds.
: >empty.ndjson
rta-cat </dev/null >out1
echo "stdin: exit $?, $(wc -c <out1) bytes"
rta-cat empty.ndjson >out2
echo "file: exit $?, $(wc -c <out2) bytes"
rta-cat - empty.ndjson - </dev/null >out3
echo "twice stdin and a file: exit $?, $(wc -c <out3) bytes"
printf '\n  \n\t\r\n' >blank.ndjson
rta-cat blank.ndjson >out4
echo "blank lines: exit $?, $(wc -c <out4) bytes"
