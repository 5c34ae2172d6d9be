# --types NAME=WEIGHT,...: only those event types, in about those
# proportions; a name alone has weight 1; the default is page_view 85,
# purchase 10, error 5, each with its own payload fields.
rta-gen -c 10000 --types click=3,view=1 | sed 's/.*"event_type":"\([^"]*\)".*/\1/' | sort | uniq -c |
    awk '{ printf "%s %s\n", $2, ($1 > 7200 && $1 < 7800) ? "about 3/4" : ($1 > 2200 && $1 < 2800) ? "about 1/4" : $1 }'
rta-gen -c 100 --types solo | sed 's/.*"event_type":"\([^"]*\)".*/\1/' | sort | uniq -c
rta-gen -c 2000 | sed 's/.*"event_type":"\([^"]*\)".*/\1/' | sort | uniq -c |
    awk '{ p = $1 / 20; w = $2 == "page_view" ? 85 : $2 == "purchase" ? 10 : 5
	printf "%s %s\n", $2, (p > w - 3 && p < w + 3) ? "about " w "%" : p "%" }'
for t in page_view purchase error; do
	rta-gen -c 200 | grep "\"event_type\":\"$t\"" | head -1 |
	    sed 's/.*"payload":{\(.*\)}}$/\1/; s/:[^,]*//g'
done
