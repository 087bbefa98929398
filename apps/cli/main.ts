import 'reflect-metadata';
import { loadConfigOrExit } from '#app/config';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module.js';
import { UsageError } from './commands/option-parsers.js';

const config = loadConfigOrExit();
await CommandFactory.run(CliModule.forRoot(config), {
  logger: ['error', 'warn'],
  errorHandler: (error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  },
  serviceErrorHandler: (error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
});
