CREATE TABLE IF NOT EXISTS `tagpipe`.`logs` (
  `ts` DateTime64(3),
  `ts_ms` Int64,
  `id` String,
  `app` LowCardinality(String),
  `app_source` LowCardinality(String),
  `host` LowCardinality(String),
  `level` LowCardinality(String),
  `logger` LowCardinality(String),
  `thread` String,
  `message` String,
  `exception` String,
  `trace_id` String,
  `span_id` String,
  `attrs` Map(String, String),
  `sample_rate` Float64,
  `retention_days` UInt16,
  `importance` LowCardinality(String),
  `kafka_topic` LowCardinality(String),
  `kafka_partition` UInt32,
  `kafka_offset` UInt64
) ENGINE = MergeTree()
PARTITION BY (retention_days, toYYYYMMDD(ts))
ORDER BY (app, ts)
TTL toDateTime(ts) + toIntervalDay(retention_days)
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS `tagpipe`.`metrics` (
  `ts` DateTime64(3),
  `ts_ms` Int64,
  `id` String,
  `app` LowCardinality(String),
  `app_source` LowCardinality(String),
  `host` LowCardinality(String),
  `name` LowCardinality(String),
  `value` Float64,
  `unit` LowCardinality(String),
  `type` LowCardinality(String),
  `trace_id` String,
  `span_id` String,
  `attrs` Map(String, String),
  `sample_rate` Float64,
  `retention_days` UInt16,
  `importance` LowCardinality(String),
  `kafka_topic` LowCardinality(String),
  `kafka_partition` UInt32,
  `kafka_offset` UInt64
) ENGINE = MergeTree()
PARTITION BY (retention_days, toYYYYMMDD(ts))
ORDER BY (app, name, ts)
TTL toDateTime(ts) + toIntervalDay(retention_days)
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS `tagpipe`.`ingest_stats` (
  `ts` DateTime64(3),
  `ts_ms` Int64,
  `app` LowCardinality(String),
  `kind` LowCardinality(String),
  `level` LowCardinality(String),
  `reason` LowCardinality(String),
  `count` UInt64,
  `retention_days` UInt16,
  `kafka_topic` LowCardinality(String),
  `kafka_partition` UInt32,
  `kafka_offset` UInt64
) ENGINE = MergeTree()
PARTITION BY (retention_days, toYYYYMMDD(ts))
ORDER BY (app, ts)
TTL toDateTime(ts) + toIntervalDay(retention_days)
SETTINGS ttl_only_drop_parts = 1;
