# --from kcat-json reads kcat -J envelopes: each message becomes a source
# position record (topic, partition, offset) followed by its event, in
# both output encodings.
rta-cat --from kcat-json "$DATA/kcat.ndjson" >out
echo "exit $?"
cat out
rta-cat --from kcat-json -o rta "$DATA/kcat.ndjson" >out.rta
echo "-o rta: exit $?"
rta-cat -o ndjson out.rta | cmp - out && echo "the same records in rta frames"
