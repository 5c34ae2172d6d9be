// pq-hyparquet.mjs: hyparquet (pure JavaScript) as a second independent
// Parquet reader for the tests.
//
//   node pq-hyparquet.mjs rows FILE   rows, one JSON object a line
//   node pq-hyparquet.mjs meta FILE   the FileMetaData as hyparquet decoded it
//
// BigInts print as numbers when safe (strings otherwise), dates as RFC
// 3339 text, byte arrays as hex.  Errors go to stderr with exit status 1.
import { readFile } from 'node:fs/promises';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { plain } from './plain.mjs';

const [cmd, file] = process.argv.slice(2);

try {
	const buf = await readFile(file);
	const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
	if (cmd === 'rows') {
		const rows = await parquetReadObjects({ file: ab, compressors,
		    utf8: true });
		const out = rows.map((r) => JSON.stringify(plain(r)));
		if (out.length)
			process.stdout.write(out.join('\n') + '\n');
	} else if (cmd === 'meta') {
		console.log(JSON.stringify(plain(parquetMetadata(ab))));
	} else {
		console.error('usage: pq-hyparquet.mjs rows|meta FILE');
		process.exit(2);
	}
} catch (e) {
	console.error(`pq-hyparquet: ${e.message}`);
	process.exit(1);
}
