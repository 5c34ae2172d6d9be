# --privacy rules apply after the joins, so they may name joined fields;
# --keys gives the pseudonymising keys.  A bad rules file stops the start.
printf 'payload.users.name mask keep=1\npayload.user_id pseudonymize key=k1 length=16\n' >rules
printf 'k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n' >keys
chmod 600 keys
rta-enrich --ref "$DATA/enrich/users.csv" --on payload.user_id --fields name \
    --privacy rules --keys keys "$DATA/enrich/events.ndjson" >out
echo "exit $?"
jq -c '[.event_id, .payload.user_id, .payload.users.name]' out
printf 'payload.x frobnicate\n' >bad
rta-enrich --privacy bad "$DATA/enrich/events.ndjson"
echo "exit $?"
