/**
 * A command line as an operator types it — `CUDA_VISIBLE_DEVICES=0 vllm serve "Qwen/Qwen2.5-VL-7B-Instruct" --port 8000`
 * — split the way a POSIX shell would for words, quotes, backslashes and leading `NAME=value`
 * assignments, so the console can run it without a shell (no expansion, no injection).
 */
export interface ParsedCommand {
  env: Record<string, string>;
  argv: string[];
}

export class CommandLineError extends Error {}

export function parseCommandLine(text: string): ParsedCommand {
  const words: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i]!;
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i]!;
    } else if ('|&;<>()$`'.includes(ch)) {
      throw new CommandLineError(
        `"${ch}" is shell syntax: give one command with its arguments (run a script for anything more)`,
      );
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) throw new CommandLineError(`the command has an unclosed ${quote} quote`);
  if (word !== null) words.push(word);

  const env: Record<string, string> = {};
  let first = 0;
  for (; first < words.length; first++) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(words[first]!);
    if (!assignment) break;
    env[assignment[1]!] = assignment[2]!;
  }
  const argv = words.slice(first);
  if (argv.length === 0) throw new CommandLineError('the command is empty');
  return { env, argv };
}
