import qrcode from 'qrcode-generator';

/** The white border a QR code needs around it to be found by a camera (ISO/IEC 18004: four modules). */
export const QR_QUIET_ZONE = 4;

/** A QR code as one SVG path of dark modules, in a square of `size` modules (the quiet zone included). */
export interface QrPath {
  readonly size: number;
  readonly path: string;
}

/**
 * Encodes `data` as a QR code and traces its dark modules row by row into one SVG path. Pure (no DOM), so the
 * browser pages (BankID, the admin pages' authenticator enrolment) and the server-rendered developer page draw
 * QR codes the same way. Level L: the least dense code for the data, which phone cameras read most easily.
 */
export function qrPath(data: string): QrPath {
  const code = qrcode(0, 'L');
  code.addData(data, 'Byte');
  code.make();
  const modules = code.getModuleCount();
  let path = '';
  for (let row = 0; row < modules; row += 1) {
    let column = 0;
    while (column < modules) {
      if (!code.isDark(row, column)) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < modules && code.isDark(row, column)) {
        column += 1;
      }
      path += `M${start + QR_QUIET_ZONE} ${row + QR_QUIET_ZONE}h${column - start}v1h${start - column}z`;
    }
  }
  return { size: modules + 2 * QR_QUIET_ZONE, path };
}
