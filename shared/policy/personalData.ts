import { maskName, maskPhone } from './masking';

/**
 * Personal data in text meant for the public (typical cases, issue 18 §6; linyi 23, hohhot 32,
 * pingli 33: no requester's information may be disclosed). Looks for phone numbers (mobile and
 * landline, with or without spaces or hyphens, masked or not), ID card numbers, house-level
 * addresses, forms of address that name a person (王先生), and whatever of the ticket's own
 * requester is known: the name, the masked name, the phone and its masked form, the address.
 * Returns one Chinese label per kind found (empty: nothing found).
 */
export interface KnownPerson {
  name?: string;
  phone?: string;
  address?: string;
}

const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const MASKED_PHONE = /1[3-9]\d[*＊xX]{4}\d{4}/;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)/;
/** 幸福路12号, 3号楼2单元501室, 5栋, 7幢: an address down to a building or a door. */
const HOUSE = /\d+\s*(?:号楼|号院|号(?!线)|栋|幢|单元|室)|[一二三四五六七八九十百]+(?:号楼|栋|幢|单元)/;
/** 王先生, 李女士, 张师傅, 刘大爷, 陈阿姨: a person named by surname. */
const ADDRESSED = /[\u4e00-\u9fa5](?:先生|女士|小姐|师傅|大爷|大妈|阿姨)/;

/** Digits with the separators people type between them removed: "138 0000-1234" → "13800001234". */
const squeeze = (s: string) => s.replace(/(?<=\d)[\s\-－—.·]+(?=\d)/g, '');

export function personalDataIn(text: string, known: KnownPerson = {}): string[] {
  const found = new Set<string>();
  const flat = squeeze(text);
  if (PHONE.test(flat) || MASKED_PHONE.test(flat) || LANDLINE.test(text)) found.add('电话号码');
  if (ID_NUMBER.test(flat)) found.add('身份证号码');
  if (HOUSE.test(text)) found.add('详细地址');
  if (ADDRESSED.test(text)) found.add('姓名');
  if (known.name && known.name.length >= 2) {
    const masked = maskName(known.name)!;
    if (text.includes(known.name) || text.includes(masked)) found.add('姓名');
  }
  if (known.phone) {
    const digits = known.phone.replace(/\D/g, '');
    if ((digits.length >= 7 && flat.includes(digits)) || flat.includes(maskPhone(digits)!) || (digits.length >= 8 && flat.includes(digits.slice(-8)))) found.add('电话号码');
  }
  if (known.address && known.address.trim().length >= 4 && text.includes(known.address.trim())) found.add('详细地址');
  return [...found];
}
