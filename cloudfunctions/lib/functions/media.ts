import { DomainError } from '../../../shared/errors';
import type { Handlers } from './types';

export const media: Handlers<'media'> = {
  /** CloudBase uploads go straight to storage; the file counts only once registered by its owner. */
  async register({ deps, actor }, { fileId, durationSec }) {
    const stored = deps.files.register
      ? await deps.files.register(fileId, actor.userId, durationSec !== undefined ? { durationSec } : {}, deps.clock.now())
      : await deps.files.stat(fileId);
    if (!stored) throw new DomainError('not-found', '文件不存在，请重新上传');
    if (stored.ownerId !== actor.userId) throw new DomainError('file-not-owned');
    return { fileId: stored.fileId, kind: stored.kind, size: stored.size, durationSec: stored.durationSec };
  },
  /** A short-lived URL; residents get their own files, staff and operators files of tickets they see. */
  async url({ deps, actor }, { fileId }) {
    const stored = await deps.files.stat(fileId);
    if (!stored) throw new DomainError('not-found');
    if (stored.ownerId !== actor.userId && actor.role !== 'operator' && actor.role !== 'staff') throw new DomainError('file-not-owned');
    return { url: await deps.files.temporaryUrl(fileId, deps.clock.now()) };
  },
};
