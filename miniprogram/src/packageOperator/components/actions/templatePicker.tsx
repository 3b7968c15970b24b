import type { ReplyTemplate, TemplateKind } from '@shared/contracts/templates';
import { adminApi } from '../../../api/client';
import ReplyTemplates from '../../../components/reply-templates';

let cached: Promise<ReplyTemplate[]> | null = null;
/** Read once per page visit; the admin screen that edits them resets it. */
function load(): Promise<ReplyTemplate[]> {
  if (!cached) {
    cached = adminApi.templates();
    cached.catch(() => (cached = null));
  }
  return cached;
}
export function forgetOperatorTemplates(): void {
  cached = null;
}

/** The operator's templates of one kind. */
export default function TemplatePicker({ kind, onPick }: { kind: TemplateKind; onPick(text: string): void }) {
  return <ReplyTemplates kind={kind} load={load} onPick={onPick} />;
}
