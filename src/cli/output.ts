/** Where commands print: results on stdout, progress and problems on stderr; no colours or prompts in CI. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI || env.GITHUB_ACTIONS || env.TF_IN_AUTOMATION);
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !inCi() && stream.isTTY === true && !process.env.NO_COLOR;
}

export function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
