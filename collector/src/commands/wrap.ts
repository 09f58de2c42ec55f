/**
 * How a command hands its outcome to the program: every action resolves to
 * an exit code, and the wrapper main.ts passes to each register function
 * records it. A file of its own so commands need not import main.ts (which
 * imports them all).
 */

/** What a command action resolves to: its exit code. */
export type CommandResult = Promise<number>;

/** The wrapper every command registers its action through. */
export type Wrap = <A extends unknown[]>(action: (...args: A) => CommandResult) => (...args: A) => Promise<void>;
