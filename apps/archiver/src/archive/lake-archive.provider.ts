import { FaultPoint, LakeArchive, LakeManifest, openLakeDuckdb, ParquetWriter } from '@cryptostream/lake';
import { Logger, Provider } from '@nestjs/common';
import { ARCHIVER_CONFIG, ArchiverConfig } from '../config/archiver.config';

/**
 * The fault tests' hook: at the configured point of the N-th time the archiver passes it, the
 * process kills itself (SIGKILL: no clean-up, no flush), as a crash or an OOM kill would.
 */
export function faultHook(config: ArchiverConfig): (point: FaultPoint) => void {
  let passes = 0;
  return (point) => {
    if (point !== config.faultPoint || ++passes < config.faultAfterCommits) return;
    new Logger('FaultHook').warn(`ARCHIVER_FAULT_POINT=${point}: killing the process`);
    process.kill(process.pid, 'SIGKILL');
  };
}

/** Writes Parquet through an embedded DuckDB on one thread (the archiver's core), committing through the manifest. */
export const lakeArchiveProvider: Provider = {
  provide: LakeArchive,
  inject: [ARCHIVER_CONFIG, LakeManifest],
  useFactory: async (config: ArchiverConfig, manifest: LakeManifest) => {
    const { connection } = await openLakeDuckdb({ threads: 1, memoryLimit: config.duckdbMemoryLimit });
    return new LakeArchive(config.lakeDir, new ParquetWriter(connection), manifest, faultHook(config));
  },
};
