/** Output channels of a CLI command, so tests can run commands in-process and read what they print. */
export interface CliContext {
  out(text: string): void
  err(text: string): void
}

export const processContext: CliContext = {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
}
