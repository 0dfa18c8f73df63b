import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The same code runs from src/ (jest) and dist/src/ (npm start), so paths to views/ and .data/ are resolved
// from the folder holding package.json rather than from __dirname.
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(__dirname);
