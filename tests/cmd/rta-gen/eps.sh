# --eps N spaces event times 1/N second apart from --start, whatever the
# wall clock; it may be fractional.
rta-gen -c 4 --eps 2 | cut -c 64-90
rta-gen -c 3 --eps 1000000 | cut -c 64-90
rta-gen -c 3 --eps 0.5 | cut -c 64-90
rta-gen -c 2 --eps 3 | cut -c 64-90
