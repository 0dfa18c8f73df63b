import type { Response } from 'express';

// RFC 4180 fields; a leading = + - @ is prefixed with ' so a spreadsheet never runs a cell as a formula.
export function csvLine(values: (string | number | boolean | null | undefined)[]): string {
  return `${values
    .map((value) => {
      if (value === null || value === undefined) return '';
      let text = String(value);
      if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

// Streams a CSV download line by line (never the whole file in memory).
export async function sendCsv<S>(
  response: Response,
  filename: string,
  header: string[],
  lines: (source: S) => AsyncIterable<string>,
  source: S,
): Promise<void> {
  response.setHeader('content-type', 'text/csv; charset=utf-8');
  response.setHeader('content-disposition', `attachment; filename="${filename}"`);
  response.write(`\ufeff${csvLine(header)}`);
  for await (const line of lines(source)) {
    if (!response.write(line)) await new Promise((resolve) => response.once('drain', resolve));
  }
  response.end();
}
