/**
 * Keys a caller may never send: the names `Object.prototype` already has (`__proto__`, `constructor`,
 * `toString`, ...). class-validator's whitelist takes them for declared properties, so they would slip past
 * `forbidNonWhitelisted` onto the DTO.
 */
export function isPrototypeKey(key: string): boolean {
  return key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}
