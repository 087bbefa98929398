import { AppConfig } from '#app/config';
import { migrateServiceDatabase } from '#app/database';
import { Command, CommandRunner } from 'nest-commander';
import { printJson } from './option-parsers.js';

@Command({ name: 'migrate', description: 'apply pending migrations to the service database' })
export class MigrateCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    printJson({ service: await migrateServiceDatabase(this.config.DATABASE_URL) });
  }
}
