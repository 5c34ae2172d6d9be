#!/usr/bin/perl
# rtaframe.pl: write hand-made pieces of an rta frame stream on stdout, for
# tests that need frames the encoder would never produce.
#
#	perl rtaframe.pl ITEM ...
#
#	header			the 12-byte stream header
#	head:LEN:TYPE[:FLAGS[:CRC]]
#				a frame header declaring LEN body bytes, with
#				a correct header check (CRC is the body
#				checksum field, default 0)
#	frame:TYPE:HEX		a complete frame around the body HEX, with
#				correct lengths and checksums
#	hex:HEX			bytes as they are
# Numbers may be decimal or 0x hex; TYPE is one character (E, W, P, Z).
use strict;
use warnings;

my @table;
for my $i (0 .. 255) {
	my $c = $i;
	for (1 .. 8) {
		$c = $c & 1 ? ($c >> 1) ^ 0x82F63B78 : $c >> 1;
	}
	$table[$i] = $c;
}

sub crc32c {
	my $c = 0xFFFFFFFF;
	$c = $table[($c ^ $_) & 0xFF] ^ ($c >> 8) for unpack('C*', $_[0]);
	return $c ^ 0xFFFFFFFF;
}

sub num { my $v = shift; return $v =~ /^0x/i ? hex($v) : $v + 0 }

sub head {
	my ($len, $type, $flags, $crc) = @_;
	my $h = pack('VCC', $len, ord($type), $flags);
	return $h . pack('vV', crc32c($h) & 0xFFFF, $crc);
}

binmode STDOUT;
for (@ARGV) {
	my @f = split /:/;
	if ($f[0] eq 'header') {
		print "\x89RTA\r\n\x1a\n", pack('vv', 1, 0);
	} elsif ($f[0] eq 'head') {
		print head(num($f[1]), $f[2], num($f[3] // 0), num($f[4] // 0));
	} elsif ($f[0] eq 'frame') {
		my $b = pack('H*', $f[2] // '');
		print head(length($b), $f[1], 0, crc32c($b)), $b;
	} elsif ($f[0] eq 'hex') {
		print pack('H*', $f[1]);
	} else {
		die "rtaframe.pl: bad item '$_'\n";
	}
}
