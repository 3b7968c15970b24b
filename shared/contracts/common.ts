import { z } from 'zod';

export { LIMITS } from './limits';

/** Trimmed text without control characters other than newline and tab. */
export const text = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, { message: `至少${min}个字` })
    .max(max, { message: `不能超过${max}个字` })
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), { message: '包含不允许的控制字符' });

export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: '编号格式不正确' });
export const phoneSchema = z.string().regex(/^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, { message: '电话号码格式不正确' });
export const epochMs = z.number().int().nonnegative();

export const roleSchema = z.enum(['resident', 'grid', 'staff', 'operator', 'system']);
export type Role = z.infer<typeof roleSchema>;

/** Who acts. Built by the server from its own records, never taken from the client. */
export const actorSchema = z.object({
  userId: z.string().min(1),
  role: roleSchema,
  unitId: z.string().min(1).optional(),
  name: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const fileKindSchema = z.enum(['image', 'video', 'audio', 'document']);
export type FileKind = z.infer<typeof fileKindSchema>;

/** A reference to an uploaded file; the server checks its owner before attaching it. */
export const fileRefSchema = z.object({
  fileId: z.string().min(1).max(300).regex(/^(cloud:\/\/|local:)[A-Za-z0-9_.\/-]+$/, { message: '文件编号不正确' }),
  kind: fileKindSchema,
  durationSec: z.number().nonnegative().max(3600).optional(),
});
export type FileRef = z.infer<typeof fileRefSchema>;
