CREATE TABLE IF NOT EXISTS `tagpipe`.`logs` (
  `ts` DateTime,
  `ts_ms` Int64,
  `id` String,
  `app` String,
  `app_source` String,
  `host` String,
  `level` String,
  `logger` String,
  `thread` String,
  `message` String,
  `exception` String,
  `trace_id` String,
  `span_id` String,
  `attrs.key` Array(String), `attrs.value` Array(String),
  `sample_rate` Float64,
  `retention_days` UInt16,
  `importance` String,
  `kafka_topic` String,
  `kafka_partition` UInt32,
  `kafka_offset` UInt64
) ENGINE = MergeTree()
PARTITION BY (retention_days, toYYYYMMDD(ts))
ORDER BY (app, ts);

CREATE TABLE IF NOT EXISTS `tagpipe`.`metrics` (
  `ts` DateTime,
  `ts_ms` Int64,
  `id` String,
  `app` String,
  `app_source` String,
  `host` String,
  `name` String,
  `value` Float64,
  `unit` String,
  `type` String,
  `trace_id` String,
  `span_id` String,
  `attrs.key` Array(String), `attrs.value` Array(String),
  `sample_rate` Float64,
  `retention_days` UInt16,
  `importance` String,
  `kafka_topic` String,
  `kafka_partition` UInt32,
  `kafka_offset` UInt64
) ENGINE = MergeTree()
PARTITION BY (retention_days, toYYYYMMDD(ts))
ORDER BY (app, name, ts);

CREATE TABLE IF NOT EXISTS `tagpipe`.`ingest_stats` (
  `ts` DateTime,
  `ts_ms` Int64,
  `app` String,
  `kind` String,
  `level` String,
  `reason` String,
  `count` UInt64,
  `retention_days` UInt16,
  `kafka_topic` String,
  `kafka_partition` UInt32,
  `kafka_offset` UInt64
) ENGINE = MergeTree()
PARTITION BY (retention_days, toYYYYMMDD(ts))
ORDER BY (app, ts);
