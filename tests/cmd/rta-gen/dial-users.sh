# --users N: user ids u000000 .. u(N-1) per tenant.
rta-gen -c 2000 --users 5 | grep -o '"user_id":"[^"]*"' | sort -u
