import { withTimeout } from '@cryptostream/service-runtime';
import type { SqlExecutor } from './sql-executor';

/**
 * Why MySQL cannot serve right now (`SELECT 1` failed or did not answer within `timeoutMs`), or
 * undefined when it answers: what a readiness check reports.
 */
export function mysqlPingProblem(pool: SqlExecutor, timeoutMs = 1_500): Promise<string | undefined> {
  const answer = pool.query('SELECT 1').then(() => undefined, (error: Error) => `SELECT 1 failed: ${error.message}`);
  return withTimeout(answer, timeoutMs, () => `SELECT 1 did not answer within ${timeoutMs} ms`);
}
