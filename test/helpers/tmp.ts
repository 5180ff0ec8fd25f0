import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];

// Registered when a test file imports this module (each test file gets its own copy of it).
afterAll(() => made.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A fresh temporary folder, removed after the last test of the test file that made it. */
export function tempDir(prefix = 'patterns-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
