import { DeletionRequestsRepository } from '#app/database';
import { RequestStatus, STORE_OF } from '#app/domain';
import { StoresService } from '#app/stores';
import { CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, requestIdOption } from './command-options.js';
import { printJson } from './option-parsers.js';

const IDS_PER_READ = 1000;
const FINISHED: readonly RequestStatus[] = [RequestStatus.Done, RequestStatus.Failed];

/**
 * Reads back, now, every personal column of a finished request's subjects (a store restored from a backup, a
 * writer that ignored the erasure); changes nothing. Exit 1 when any row still holds personal data.
 */
@SubCommand({ name: 'verify', description: 're-read the stores for a finished request’s subjects; exit 1 on residue' })
@CommandOptions(requestIdOption('the request to verify'))
export class RequestsVerifyCommand extends CommandRunner {
  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly stores: StoresService,
  ) {
    super();
  }

  async run(_: string[], options: { requestId: string }): Promise<void> {
    const request = await this.requests.findById(options.requestId);
    if (!request) throw new Error(`request ${options.requestId} does not exist`);
    if (!FINISHED.includes(request.status)) {
      throw new Error(`request ${options.requestId} is ${request.status}; only DONE or FAILED requests are verified`);
    }
    const store = STORE_OF[request.deletionType];
    const verifier = await this.stores.verifier(store);
    const tables = new Map<string, { table: string; rows_checked: number; violations: number }>();
    for (let from = 0; from < request.subjectIds.length; from += IDS_PER_READ) {
      const part = await verifier.verify(request.siteId, request.subjectIds.slice(from, from + IDS_PER_READ));
      for (const table of part.tables) {
        const sum = tables.get(table.table) ?? { table: table.table, rows_checked: 0, violations: 0 };
        sum.rows_checked += table.rowsChecked;
        sum.violations += table.violations;
        tables.set(table.table, sum);
      }
    }
    const all = [...tables.values()];
    const result = {
      store,
      rows_checked: all.reduce((sum, t) => sum + t.rows_checked, 0),
      violations: all.reduce((sum, t) => sum + t.violations, 0),
      tables: all,
    };
    printJson({ request_id: Number(request.id), stores: [result] });
    if (result.violations > 0) process.exitCode = 1;
  }
}
