// Reads a stored report for `compare`, `report` and `--compare`: a missing or unreadable file, text that is not
// JSON, another schema version or a file that fails the schema each get one sentence saying which.
import { readFileSync } from 'node:fs';
import { parseReport, type ReportParse } from '../../protocol/report';

export function readReportFile(file: string): ReportParse {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    return { ok: false, error: `cannot read the report: ${reason}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not a JSON file (${(error as Error).message})` };
  }
  return parseReport(data);
}
