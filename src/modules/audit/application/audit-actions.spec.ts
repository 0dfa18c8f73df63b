import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../shared/infrastructure/project-root';
import { AUDIT_ACTION_WORDS, auditActionWords } from './audit-actions';

// Every `module.verb` string in a source file that writes to the audit trail: the actions the code can record.
function recordedActions(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (directory: string): void => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.includes('.spec.') && !name.includes('spec.ts')) {
        const source = readFileSync(path, 'utf8');
        if (!/\baudit\.record\(|\bAuditTrail\b/.test(source) || path.includes(join('modules', 'audit'))) continue;
        for (const match of source.matchAll(
          /'((?:accounts|audit|billing|consent|direct-csp|licensing|partner-center|portal|psa-sync|tenants|webhooks)\.[a-z][a-z-]*)'/g,
        ))
          found.set(match[1], path);
      }
    }
  };
  walk(join(projectRoot, 'src', 'modules'));
  return found;
}

describe('audit actions in words', () => {
  it('has words for every action the code can record (a new action without words fails here)', () => {
    const actions = recordedActions();
    expect(actions.size).toBeGreaterThan(20);
    const missing = [...actions.keys()].filter((action) => !(action in AUDIT_ACTION_WORDS));
    expect(missing).toEqual([]);
  });

  it('says consent.grant-refused as "Partner Center consent refused", and an unknown stored action as it is', () => {
    expect(auditActionWords('consent.grant-refused')).toBe('Partner Center consent refused');
    expect(auditActionWords('someday.unknown')).toBe('someday.unknown');
  });

  it('says every action in words, not as its code', () => {
    for (const [action, words] of Object.entries(AUDIT_ACTION_WORDS)) {
      expect(words).not.toContain('.');
      expect(words).not.toBe(action);
    }
  });
});
