import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMANDS } from './command-table.js';
import type { CommandResult, Wrap } from './commands/wrap.js';
import { buildProgram, commandOf } from './main.js';

const noExit = (): void => undefined;
const wrap: Wrap =
  <A extends unknown[]>(action: (...args: A) => CommandResult) =>
  async (...args: A) => {
    await action(...args);
  };

/** The help a program prints, at a fixed width so terminals do not change it. */
function helpOf(program: Command): string {
  program.configureOutput({ getOutHelpWidth: () => 80 });
  return program.helpInformation();
}

describe('the command table', () => {
  it('lists what each command module registers: its name, options marker and description', async () => {
    for (const entry of COMMANDS) {
      const program = new Command();
      (await entry.load())(program, wrap);
      expect(program.commands.map((command) => command.name())).toEqual([entry.name]);
      const [command] = program.commands;
      expect({ name: entry.name, options: command!.options.length > 0, description: command!.description() }).toEqual({ name: entry.name, options: entry.options, description: entry.description });
    }
  });

  it('names every module in commands/ that adds a command to the program', () => {
    const dir = new URL('./commands/', import.meta.url);
    const topLevel = readdirSync(dir)
      .filter((file) => file.endsWith('.ts') && /export function register\w+\(program: Command/.test(readFileSync(new URL(file, dir), 'utf8')))
      .map((file) => file.replace(/\.ts$/, ''));
    expect(topLevel.sort()).toEqual(COMMANDS.map((entry) => entry.name).sort());
  });

  it('prints the same --help with no module loaded as with every module loaded', async () => {
    const lazy = await buildProgram(noExit, () => false);
    const eager = await buildProgram(noExit, () => true);
    expect(helpOf(lazy)).toEqual(helpOf(eager));
    expect(helpOf(lazy)).toContain('  runs [options]  ');
    expect(helpOf(lazy)).toContain('  key  ');
  });
});

describe('commandOf', () => {
  it('finds the command word after the program options, and the command `help` asks about', () => {
    expect(commandOf(['node', 'evidentia'])).toBeUndefined();
    expect(commandOf(['node', 'evidentia', '--version'])).toBeUndefined();
    expect(commandOf(['node', 'evidentia', 'runs', '--locker', 'x'])).toBe('runs');
    expect(commandOf(['node', 'evidentia', '-h', 'status'])).toBe('status');
    expect(commandOf(['node', 'evidentia', 'help', 'key', 'rotate'])).toBe('key');
    expect(commandOf(['node', 'evidentia', 'help'])).toBeUndefined();
  });
});
