# --raw --schema FILE checks plain JSON documents, one per line, each as a
# whole (no envelope): objects, arrays, scalars; a line that is not JSON
# is rejected as bad-json with its line number; blank lines are skipped.
# Valid documents are written as compact NDJSON.
cp "$DATA/validate/document.json" document.json
cat >in.ndjson <<'END'
{"id":1}
{"id":0}
[1,2]
"str"
42
null
{"id":2,"tags":["a","a"]}
{"id":3
garbage

{"id":4,"name":"\u00e9\u00e8\u00ea\u00eb"}
{"id":5,"name":"éèêëa"}
  {"id": 6 , "tags" : [ ] }  
1.0
{"id":7.0}
true
{"id":8,"tags":["a","b","c","d"]}
END
rta-validate --raw --schema document.json --dead-letter dl --metrics m in.ndjson
echo "exit $?"
jq -r '"\(.line): \(.reason): \(.error)"' dl
jq -c 'select(.violations) | [.line, .violations]' dl
grep -v '^#\|^rta_start_time_seconds' m
