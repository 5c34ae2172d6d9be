#!/usr/bin/perl
# noise.pl: deterministic pseudo-random bytes for robustness tests.
#
#	perl noise.pl SEED MIB
#
# Writes MIB mebibytes: one mebibyte drawn from perl's seeded PRNG, then
# rotations of it by a prime step, so that a large input costs little to
# make and is the same on every machine.
use strict;
use warnings;

my ($seed, $mib) = @ARGV;
die "usage: noise.pl seed mib\n" unless defined $mib;
srand($seed);
my $b = pack('L*', map { int(rand(4294967296)) } 1 .. 262144);
binmode STDOUT;
for my $i (0 .. $mib - 1) {
	my $k = ($i * 7919) % length($b);
	print substr($b, $k), substr($b, 0, $k);
}
