import { DomainError } from '../../shared/errors';
import { MAX_TEMPLATES, type ReplyTemplate, type ReplyTemplateInput } from '../../shared/contracts/templates';
import type { DirectoryStore } from '../../shared/ports';

/** Reply and refusal templates live in one setting: a short list the platform's operators keep. */
export const TEMPLATES_SETTING = 'replyTemplates';

export async function listTemplates(directory: DirectoryStore): Promise<ReplyTemplate[]> {
  return (await directory.getSetting<ReplyTemplate[]>(TEMPLATES_SETTING)) ?? [];
}

export async function putTemplate(directory: DirectoryStore, input: ReplyTemplateInput, id: string, now: number): Promise<ReplyTemplate> {
  const all = await listTemplates(directory);
  if (input.id !== undefined && !all.some((t) => t.id === input.id)) throw new DomainError('not-found', '模板不存在');
  if (input.id === undefined && all.length >= MAX_TEMPLATES) throw new DomainError('invalid-input', `模板最多${MAX_TEMPLATES}条`);
  const record: ReplyTemplate = { ...input, id: input.id ?? id, updatedAt: now };
  const next = input.id === undefined ? [...all, record] : all.map((t) => (t.id === record.id ? record : t));
  await directory.putSetting(TEMPLATES_SETTING, next);
  return record;
}

export async function deleteTemplate(directory: DirectoryStore, id: string): Promise<{ id: string }> {
  const all = await listTemplates(directory);
  if (!all.some((t) => t.id === id)) throw new DomainError('not-found', '模板不存在');
  await directory.putSetting(TEMPLATES_SETTING, all.filter((t) => t.id !== id));
  return { id };
}
