#!/bin/sh
# CSV rows become events: envelope columns fill the envelope, the others
# the payload (numbers, booleans and empty fields typed).  Without an id
# column each row gets an id derived from its line, the same on every run.
set -eu
cd "$(dirname "$0")"
cat=${RTA_BIN:+$RTA_BIN/}rta-cat

echo "# orders.csv: every row is a purchase"
"$cat" --from csv --type purchase data/orders.csv

echo "# the same rows with order_id as the event id, all fields strings"
"$cat" --from csv --type purchase --id-col order_id --no-infer \
    data/orders.csv

echo "# shop-export.csv: ';' separated, other column names"
"$cat" --from csv --delimiter ';' --time-col when --tenant-col shop \
    --type-col kind --id-col order data/shop-export.csv
