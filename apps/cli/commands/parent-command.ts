import { CommandRunner } from 'nest-commander';

/** A command that only groups its subcommands: run on its own, it prints its help. */
export abstract class ParentCommand extends CommandRunner {
  run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
