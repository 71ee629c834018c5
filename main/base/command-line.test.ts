import { describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine } from './command-line.js';

describe('an operator-typed command line', () => {
  it('splits words, quotes and backslashes as a shell would, and takes leading assignments as environment', () => {
    expect(
      parseCommandLine(
        `CUDA_VISIBLE_DEVICES=0 HF_HOME='/data/hf cache' vllm serve "Qwen/Qwen2.5-VL-7B-Instruct" --port 8000 --chat-template a\\ b ""`,
      ),
    ).toEqual({
      env: { CUDA_VISIBLE_DEVICES: '0', HF_HOME: '/data/hf cache' },
      argv: ['vllm', 'serve', 'Qwen/Qwen2.5-VL-7B-Instruct', '--port', '8000', '--chat-template', 'a b', ''],
    });
    expect(parseCommandLine('  python3 -m vllm.entrypoints.openai.api_server --x=1  ').argv).toEqual([
      'python3',
      '-m',
      'vllm.entrypoints.openai.api_server',
      '--x=1',
    ]);
  });

  it('refuses shell syntax, unclosed quotes and an empty command, saying which', () => {
    expect(() => parseCommandLine('vllm serve x; rm -rf /')).toThrow(/";" is shell syntax/);
    expect(() => parseCommandLine('vllm serve $MODEL')).toThrow(CommandLineError);
    expect(() => parseCommandLine('vllm serve "Qwen')).toThrow(/unclosed " quote/);
    expect(() => parseCommandLine('A=1   ')).toThrow(/empty/);
  });
});
