import { replaceChildren, svg } from './dom';
import { qrPath } from './qr-path';

/**
 * Draws a QR code into `target` as one path of dark modules on a white square, with the quiet zone. Only
 * attributes — no inline style — so the Content-Security-Policy is kept.
 */
export function drawQrCode(target: SVGElement, data: string): void {
  const { size, path } = qrPath(data);
  target.setAttribute('viewBox', `0 0 ${size} ${size}`);
  replaceChildren(
    target,
    svg('rect', { width: size, height: size, fill: '#ffffff' }),
    svg('path', { d: path, fill: '#000000' }),
  );
}
