#!/usr/bin/env node
// This workplace's npm registry serves Biome's Linux binaries only, so `npm install` here
// leaves the other platforms' optional @biomejs/cli-* packages out of package-lock.json and
// `npm ci` then refuses the lockfile as out of sync. This adds them back the way a full
// registry records them (optional, with their os/cpu), so `npm ci` works here and elsewhere.
// Run it after any `npm install` that rewrites package-lock.json.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const biome = packages['node_modules/@biomejs/biome'];
const present = packages['node_modules/@biomejs/cli-linux-x64'];
let added = 0;
for (const name of Object.keys(biome?.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (packages[key]) continue;
  const [, os, cpu, libc] = /cli-(\w+)-(\w+?)(?:-(musl))?$/.exec(name) ?? [];
  packages[key] = {
    version: biome.optionalDependencies[name],
    cpu: [cpu],
    dev: true,
    ...(libc ? { libc: [libc] } : {}),
    license: present?.license,
    optional: true,
    os: [os],
    engines: present?.engines,
  };
  added++;
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional Biome platform entries`);
