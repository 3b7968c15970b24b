import { createHash, createHmac } from 'node:crypto';
import type { SmsSender } from '../../lib/accounts';

/**
 * Tencent Cloud SMS (短信 SendSms, API version 2021-01-11), signed with TC3-HMAC-SHA256 over
 * node:crypto and sent with Node's fetch. The official SDK (tencentcloud-sdk-nodejs-sms) brings
 * node-fetch, form-data, a proxy agent and more for this one POST; the signing is the documented
 * four steps below. `endpoint` is configurable so tests run this code against a server on 127.0.0.1.
 */
export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  /** SmsSdkAppId: the SMS application's id (1400…). */
  sdkAppId: string;
  /** The approved signature (签名内容), e.g. 码上反映. */
  signName: string;
  /** An approved template with two parameters: the code and the minutes it is valid. */
  templateId: string;
  region?: string;
  endpoint?: string;
  timeoutMs?: number;
  /** Seconds since the epoch; tests pin it. */
  now?: () => number;
}

export class TencentSmsError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'TencentSmsError';
  }
}

const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** The TC3-HMAC-SHA256 Authorization header for a JSON POST to `/`. */
export function tc3Authorization(o: { secretId: string; secretKey: string; service: string; host: string; action: string; payload: string; timestamp: number }): string {
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonicalHeaders = `content-type:application/json; charset=utf-8\nhost:${o.host}\nx-tc-action:${o.action.toLowerCase()}\n`;
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256hex(o.payload)].join('\n');
  const scope = `${date}/${o.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(o.timestamp), scope, sha256hex(canonicalRequest)].join('\n');
  const signing = hmac(hmac(hmac(`TC3${o.secretKey}`, date), o.service), 'tc3_request');
  const signature = createHmac('sha256', signing).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${o.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

interface SendSmsResponse {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: { Code?: string; Message?: string; PhoneNumber?: string }[];
    RequestId?: string;
  };
}

export class TencentSmsSender implements SmsSender {
  constructor(private readonly config: TencentSmsConfig) {}

  async send(phone: string, code: string, minutes: number): Promise<void> {
    return this.sendTemplate(phone, this.config.templateId, [code, String(minutes)]);
  }

  /** One SMS from an approved template with its parameters (sign-in codes above; notices in adapters/notices). */
  async sendTemplate(phone: string, templateId: string, params: readonly string[]): Promise<void> {
    const c = this.config;
    const url = new URL(c.endpoint ?? 'https://sms.tencentcloudapi.com');
    const payload = JSON.stringify({
      PhoneNumberSet: [`+86${phone}`],
      SmsSdkAppId: c.sdkAppId,
      SignName: c.signName,
      TemplateId: templateId,
      TemplateParamSet: [...params],
    });
    const timestamp = c.now ? c.now() : Math.floor(Date.now() / 1000);
    const action = 'SendSms';
    const headers = {
      authorization: tc3Authorization({ secretId: c.secretId, secretKey: c.secretKey, service: 'sms', host: url.host, action, payload, timestamp }),
      'content-type': 'application/json; charset=utf-8',
      host: url.host,
      'x-tc-action': action,
      'x-tc-timestamp': String(timestamp),
      'x-tc-version': '2021-01-11',
      'x-tc-region': c.region ?? 'ap-guangzhou',
    };
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(c.timeoutMs ?? 5000) });
    } catch (e) {
      throw new TencentSmsError('Network', e instanceof Error ? e.message : String(e));
    }
    let body: SendSmsResponse;
    try {
      body = (await res.json()) as SendSmsResponse;
    } catch {
      throw new TencentSmsError('BadResponse', `HTTP ${res.status}`);
    }
    const err = body.Response?.Error;
    if (err) throw new TencentSmsError(err.Code ?? 'Unknown', err.Message ?? '');
    const status = body.Response?.SendStatusSet?.[0];
    if (!status || status.Code !== 'Ok') throw new TencentSmsError(status?.Code ?? 'NoStatus', status?.Message ?? 'no send status');
  }
}
