// Array parameters as PostgreSQL array literals, built here rather than by node-postgres, which escapes and
// quotes every element on its own: for a join batch a few % of the server's CPU per join, for millions of
// imported ids a visible share of the importer's CPU.

/** An integer array (`{1,2,3}`); integers need no quoting. */
export function intArrayLiteral(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/**
 * Uuids, integers and enum labels as a quoted array literal. An element that could break out of its quotes is
 * refused (the statement then fails, as an invalid uuid would).
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = String(values[i]);
    if (v.includes('"') || v.includes('\\')) throw new Error(`Unsafe array element: ${JSON.stringify(v)}`);
    out += i === 0 ? `"${v}"` : `,"${v}"`;
  }
  return out + '}';
}
