import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/slack/tenancy.js';

describe('the scopes an OAuth install asks for', () => {
  it('are the manifest bot scopes, and the manifest subscribes to uninstall events', () => {
    const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
    const bot = /scopes:\n\s+bot:\n((?:\s+(?:#.*|- .*)\n)+)/.exec(manifest)?.[1] ?? '';
    const scopes = [...bot.matchAll(/- (\S+)/g)].map((m) => m[1]);
    expect(scopes.sort()).toEqual([...BOT_SCOPES].sort());
    expect(manifest).toContain('- app_uninstalled');
    expect(manifest).toContain('- tokens_revoked');
    expect(manifest).toContain('/slack/oauth_redirect');
  });
});
