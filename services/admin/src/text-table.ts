/** A plain text table, columns padded to their widest cell: what `list` of the admin commands prints. */
export function formatTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A moment as the tables show it: UTC to the second, or `-`. */
export const when = (date: Date | null): string => (date ? `${date.toISOString().slice(0, 19).replace('T', ' ')}Z` : '-');
