import { AppConfig } from '#app/config';
import { migrateServiceDatabase } from '#app/database';
import { migrateStores } from '#app/stores';
import { Command, CommandRunner } from 'nest-commander';
import { printJson } from './option-parsers.js';

@Command({ name: 'migrate', description: 'apply pending migrations to the service database and every store' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    const service = await migrateServiceDatabase(this.config.DATABASE_URL);
    printJson({ service, stores: await migrateStores(this.config) });
  }
}
