/** How the browser should treat a downloaded file: save it (`attachment`) or show it in its own viewer (`inline`). */
export type DispositionType = 'attachment' | 'inline';

/**
 * `Content-Disposition` with an RFC 6266 / RFC 8187 file name: a conservative ASCII fallback in `filename` (å→a,
 * ä→a, ö→o; anything but letters, digits, space, dot, dash and underscore → "_", so even a naive parser cannot be
 * confused) and the exact UTF-8 name in `filename*`, which every current browser prefers. An inline file keeps the
 * name too, so "Save" in the browser's PDF viewer suggests the same server-chosen name as a download.
 */
export function contentDisposition(type: DispositionType, fileName: string): string {
  const asciiFallback = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/gu, '')
    .replace(/[^A-Za-z0-9 ._-]/gu, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/gu,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

export function attachmentDisposition(fileName: string): string {
  return contentDisposition('attachment', fileName);
}
