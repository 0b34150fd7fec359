import { describe, expect, it } from 'vitest';
import { parseCandidateText } from '../../../server/draws/manual-winners/candidate-list.ts';

describe('parsing a winners list', () => {
  it('reads ids and @usernames split on whitespace, commas and semicolons, dropping junk', () => {
    expect(parseCandidateText('\uFEFF123, @Alice;bob_1\r\n\t0 -5 @x !!! 99999999999999999 456')).toEqual([
      { kind: 'id', userId: 123 },
      { kind: 'username', username: 'alice' },
      { kind: 'username', username: 'bob_1' },
      { kind: 'id', userId: 456 },
    ]);
  });

  it('reads an empty list as empty', () => {
    expect(parseCandidateText(' \n ,;')).toEqual([]);
  });
});
