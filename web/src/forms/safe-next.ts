/** Where to go after signing in: only a path on this site, never another origin (open redirect). */
export function safeNextPath(next: string | null, fallback: string, allowedPrefix: string): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  return next === allowedPrefix || next.startsWith(`${allowedPrefix}/`) || next.startsWith(`${allowedPrefix}?`) ? next : fallback;
}
