# A reader that goes away (| head -1) ends rta-cat quietly: no message,
# status 0 or 141 (SIGPIPE).
rta-gen -c 20000 >in.ndjson
{ rta-cat in.ndjson 2>err; echo $? >status; } | head -1 >first
case $(cat status) in
0|141) echo "status 0 or 141" ;;
*) echo "status $(cat status)" ;;
esac
echo "stderr: $(wc -c <err) bytes"
head -1 in.ndjson | cmp - first && echo "first line read"
