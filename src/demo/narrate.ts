/** Terminal output of the demo: short lines a newcomer can follow. */
const useColour = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
const paint = (code: string, text: string): string => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);

export const say = {
  step: (n: number, text: string): void => void process.stdout.write(`\n${paint('1;36', `${n}.`)} ${paint('1', text)}\n`),
  done: (text: string): void => void process.stdout.write(`   ${paint('32', '✔')} ${text}\n`),
  info: (text: string): void => void process.stdout.write(`   ${paint('2', text)}\n`),
  warn: (text: string): void => void process.stdout.write(`   ${paint('33', '!')} ${text}\n`),
};

export async function waitFor<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`the demo waited ${timeoutMs / 1000} s for ${what}; see the daemon log`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
