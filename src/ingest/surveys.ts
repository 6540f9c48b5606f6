// The survey templates shipped in survey-templates/*.json, validated when first read: a bad
// file stops Mo with a message naming the file and the field.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplate, type SurveyTemplate, TemplateError } from '../domain/surveys.js';

export const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'survey-templates');
export const DEFAULT_TEMPLATE = 'maturity';

export function loadTemplates(dir = TEMPLATE_DIR): Map<string, SurveyTemplate> {
  const templates = new Map<string, SurveyTemplate>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      throw new TemplateError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    const template = parseTemplate(json, file);
    if (templates.has(template.id))
      throw new TemplateError(`${file}: the id "${template.id}" is used by another template`);
    templates.set(template.id, template);
  }
  return templates;
}

let cached: Map<string, SurveyTemplate> | undefined;

export function templates(): Map<string, SurveyTemplate> {
  cached ??= loadTemplates();
  return cached;
}

export function templateById(id: string): SurveyTemplate | undefined {
  return templates().get(id);
}
