import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** Below this a compressed body saves less than the headers cost. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * The best encoding the client accepts (`Accept-Encoding` with q-values): br, then gzip, else
 * identity. An encoding with q=0 is refused; `*` stands for any encoding not named.
 */
export function negotiate(header: string | string[] | undefined): Encoding {
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const of = (name: string) => q.get(name) ?? q.get('*') ?? 0;
  if (of('br') > 0) return 'br';
  if (of('gzip') > 0) return 'gzip';
  return 'identity';
}

/** Content types worth compressing (text; images, audio and video are compressed already). */
export function compressible(contentType: string): boolean {
  return /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/.test(contentType);
}

/** Synchronous, fast settings for API responses (small bodies, every request). */
export function compressSync(body: Buffer, enc: Exclude<Encoding, 'identity'>): Buffer {
  return enc === 'br'
    ? zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : zlib.gzipSync(body, { level: 6 });
}

/** Strongest settings, off the event loop, for static files compressed once and cached. */
export function compressOnce(body: Buffer, enc: Exclude<Encoding, 'identity'>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (e: Error | null, out: Buffer) => (e ? reject(e) : resolve(out));
    if (enc === 'br') zlib.brotliCompress(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }, done);
    else zlib.gzip(body, { level: 9 }, done);
  });
}
