# -d/--duration DUR writes DUR of event time: count = DUR x eps; eps is
# one event per second per tenant unless --eps or --rate set it.
rta-gen -d 10s >o
echo "10s at 10 tenants: $(wc -l <o) records, last at $(tail -1 o | cut -c 64-90)"
rta-gen -d 1m -t 2 >o
echo "1m at 2 tenants: $(wc -l <o) records"
rta-gen --duration=10s --eps 3 >o
echo "10s at --eps 3: $(wc -l <o) records, last at $(tail -1 o | cut -c 64-90)"
rta-gen -d 1h30m --eps 0.01 >o
echo "1h30m at 0.01/s: $(wc -l <o) records"
