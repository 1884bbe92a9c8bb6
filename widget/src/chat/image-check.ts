/** What the server accepts (it checks the bytes again): the same rule up front, so a bad pick fails at once. */
export const allowedImageTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
export const maxImageBytes = 5 * 1024 * 1024;

export type ImageCheck = { ok: true } | { ok: false; reason: 'type' | 'size' };

export function checkImage(file: { type: string; size: number; name: string }): ImageCheck {
  const byName = /\.(jpe?g|png|gif|webp)$/i.test(file.name);
  const isAllowed = (allowedImageTypes as readonly string[]).includes(file.type.toLowerCase()) || (file.type === '' && byName);
  if (!isAllowed) return { ok: false, reason: 'type' };
  if (file.size > maxImageBytes) return { ok: false, reason: 'size' };
  return { ok: true };
}
