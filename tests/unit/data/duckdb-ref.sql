-- The reference files the Parquet reader's unit tests read
-- (tests/unit/check_rta_parquet_read.c), written by DuckDB 1.5.6 with
-- @duckdb/node-api in one session, statement by statement, from the
-- directory tests/unit/data.  duckdb-ref.ndjson holds the rows of the
-- last query: the values as the reader gives them (timestamps as
-- microseconds since the epoch, dates as days, decimals and floats as
-- doubles, NaN as the string "NaN").
SET threads = 1;
COPY (SELECT i::BIGINT AS id, 'tenant_' || (i % 3) AS tenant_id,
  TIMESTAMPTZ '2026-11-26 10:00:00+00' + to_microseconds(i * 1000) AS ts,
  CASE WHEN i % 4 = 0 THEN NULL WHEN i = 7 THEN 'NaN'::DOUBLE ELSE i * 1.5 END::DOUBLE AS value,
  (i % 2 = 0) AS flag,
  (i * 1.25)::DECIMAL(18,2) AS amount,
  CASE WHEN i % 5 = 3 THEN NULL ELSE 'note ' || i || repeat('é', i % 3) END AS note,
  DATE '2026-11-26' + (i % 10)::INTEGER AS day,
  (i * 7 - 500)::INTEGER AS n32,
  (i / 8)::FLOAT AS f32,
  (TIMESTAMP '1969-12-31 23:59:59' + to_milliseconds(i * 3))::TIMESTAMP_MS AS ts_ms,
  make_timestamp_ns(-1000000001 + i * 3001) AS ts_ns
  FROM (SELECT * FROM range(0, 110) UNION ALL SELECT * FROM range(110, 220)) t(i))
  TO 'duckdb-ref.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 110,
  KV_METADATA {'rta.test': 'reference', 'k2': 'v2'});
COPY (SELECT * FROM read_parquet('duckdb-ref.parquet'))
  TO 'duckdb-ref-uncompressed.parquet' (FORMAT parquet, COMPRESSION uncompressed,
  ROW_GROUP_SIZE 110, KV_METADATA {'rta.test': 'reference', 'k2': 'v2'});
COPY (SELECT i::BIGINT AS id, 'x' || i AS s FROM range(5) t(i))
  TO 'duckdb-snappy.parquet' (FORMAT parquet, COMPRESSION snappy);
-- PARQUET_VERSION V2: DELTA_BINARY_PACKED integers, dates, decimals
-- and timestamps, BYTE_STREAM_SPLIT floats and doubles
COPY (SELECT id, ts, value, amount, day, n32, f32, ts_ms, ts_ns
  FROM read_parquet('duckdb-ref.parquet'))
  TO 'duckdb-ref-v2.parquet' (FORMAT parquet, COMPRESSION zstd,
  PARQUET_VERSION V2, ROW_GROUP_SIZE 110);
COPY (SELECT * FROM read_parquet('duckdb-ref-v2.parquet'))
  TO 'duckdb-ref-v2-uncompressed.parquet' (FORMAT parquet,
  COMPRESSION uncompressed, PARQUET_VERSION V2, ROW_GROUP_SIZE 110);
SELECT id, tenant_id, epoch_us(ts) AS ts, value, flag, amount::DOUBLE AS amount,
  note, day - DATE '1970-01-01' AS day, n32, f32::DOUBLE AS f32,
  epoch_us(ts_ms) AS ts_ms, epoch_us(ts_ns) AS ts_ns
  FROM read_parquet('duckdb-ref.parquet');
