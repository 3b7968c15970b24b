import { DomainError } from '../../../shared/errors';
import { loadVisible } from '../tickets';
import { contentChecker } from '../contentCheck';
import type { Handlers } from './types';

export const media: Handlers<'media'> = {
  /** CloudBase uploads go straight to storage; the file counts only once registered by its owner. */
  async register({ deps, actor }, { fileId, durationSec }) {
    const stored = deps.files.register
      ? await deps.files.register(fileId, actor.userId, durationSec !== undefined ? { durationSec } : {}, deps.clock.now())
      : await deps.files.stat(fileId);
    if (!stored) throw new DomainError('not-found', '文件不存在，请重新上传');
    if (stored.ownerId !== actor.userId) throw new DomainError('file-not-owned');
    // Images and audio: the content check starts now, its result arrives later (media/index.ts).
    let check = stored.check;
    const checker = contentChecker(deps);
    if (!check && checker.checkMedia && deps.files.setCheck) {
      const now = deps.clock.now();
      check = await checker.checkMedia(stored, await deps.files.temporaryUrl(stored.fileId, now), actor, now);
      if (check) await deps.files.setCheck(stored.fileId, check);
    }
    if (check?.status === 'refused') throw new DomainError('content-refused', '该文件未通过内容安全检测');
    return { fileId: stored.fileId, kind: stored.kind, size: stored.size, durationSec: stored.durationSec, check: check?.status ?? 'unchecked' };
  },
  /** A short-lived URL: the owner's own files; operators any; anyone else a file of a ticket they may see, named by `ticketId`. */
  async url({ deps, actor }, { fileId, ticketId }) {
    const stored = await deps.files.stat(fileId);
    if (!stored) throw new DomainError('not-found');
    // Refused by the content check: hidden from everyone but operators, who may need it as evidence.
    if (stored.check?.status === 'refused' && actor.role !== 'operator') throw new DomainError('content-refused', '该文件未通过内容安全检测，已隐藏');
    if (stored.ownerId !== actor.userId && actor.role !== 'operator') {
      if (!ticketId) throw new DomainError('file-not-owned');
      const t = await loadVisible(deps, actor, ticketId);
      const attached = t.attachments.some((f) => f.fileId === fileId) || (await deps.store.events(t.id)).some((e) => e.attachments.some((f) => f.fileId === fileId));
      if (!attached) throw new DomainError('file-not-owned');
    }
    return { url: await deps.files.temporaryUrl(fileId, deps.clock.now()) };
  },
};
