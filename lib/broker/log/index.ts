/**
 * The broker's storage engine: durable partition logs of Kafka record batches (magic 2),
 * independent of sockets and protocol. See docs/log-engine.md.
 */
export { type BuildBatchOptions, buildRecordBatch, type RecordInput } from "./build-record-batch";
export { crc32c, crc32cImplementation, crc32cPortable } from "./crc32c";
export { decompressRecords } from "./decompress";
export { type CompactionResult, compactLog } from "./log-cleaner";
export { DEFAULT_LOG_CONFIG, type LogConfig, mergeLogConfig } from "./log-config";
export { LogError, LogErrorCode, type LogErrorName } from "./log-error";
export {
  CLEAN_SHUTDOWN_MARKER,
  LogManager,
  type LogManagerOptions,
  type ManagerOpenReport,
} from "./log-manager";
export {
  isPartitionDir,
  PARTITION_META_FILE,
  PRODUCER_ID_FILE,
  PRODUCER_IDS_STATE,
  partitionMetaState,
} from "./log-state-files";
export {
  type AppendOptions,
  type AppendResult,
  ListOffsetsTimestamp,
  type ReadResult,
  type TimestampOffset,
} from "./log-types";
export {
  type VerifyFinding,
  type VerifyOptions,
  verifyPartitionDir,
  verifyStateFile,
} from "./log-verifier";
export { type OpenReport, PartitionLog } from "./partition-log";
export { DEFAULT_RETAINED_BYTES, ReadBufferPool, ReadScope } from "./read-buffers";
export {
  ATTR_CONTROL,
  ATTR_LOG_APPEND_TIME,
  ATTR_TRANSACTIONAL,
  BATCH,
  type BatchHeader,
  Compression,
  parseBatchHeader,
  validateBatch,
} from "./record-batch";
export { type DecodedRecord, decodeRecords, type RecordHeader } from "./records";
export {
  checkedBy,
  inspectStateFile,
  PREVIOUS_COPY,
  readStateFile,
  type StateFileInspection,
  type StateFileKind,
  type StateFileRead,
  writeStateFile,
} from "./state-file";
export { fsyncDir, writeFileAtomic } from "./write-file-atomic";
