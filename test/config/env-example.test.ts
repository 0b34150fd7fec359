import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_SPEC, loadConfig } from '../../server/config/index.ts';

describe('.env.example', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const keys = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);

  it('documents exactly the variables the server reads, and the seed names it accepts for them', () => {
    const aliases = Object.values(ENV_SPEC).flatMap(
      (spec: { aliases?: readonly string[] }) => spec.aliases ?? [],
    );
    expect([...new Set(keys)].sort()).toEqual([...Object.keys(ENV_SPEC), ...aliases].sort());
  });

  it('holds only values the server accepts', () => {
    const active = Object.fromEntries(
      [...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], (m[2] ?? '').replace(/^"|"$/g, '')]),
    );
    expect(() => loadConfig(active)).not.toThrow();
  });
});
