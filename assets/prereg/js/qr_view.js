// Draws the JPR1 text as a QR symbol (level M, alphanumeric mode) into an SVG element, sized to
// whole device pixels per module so a camera reads it easily.

import qrcode from '../vendor/qrcode.mjs';

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4; // modules of white border, as the standard asks

// The symbol's modules: {version, size, dark(x, y)}. The text must be QR alphanumeric only.
export function makeSymbol(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Alphanumeric');
  qr.make();
  const size = qr.getModuleCount();
  return { version: (size - 17) / 4, size, dark: (x, y) => qr.isDark(y, x) };
}

// Replaces the children of `box` with an SVG of the symbol; returns the symbol.
export function renderQr(box, text, label) {
  const sym = makeSymbol(text);
  const total = sym.size + 2 * QUIET;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${total} ${total}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.dataset.version = String(sym.version);
  svg.dataset.modules = String(sym.size);
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', String(total));
  bg.setAttribute('height', String(total));
  bg.setAttribute('fill', '#fff');
  svg.append(bg);
  let d = '';
  for (let y = 0; y < sym.size; ++y) {
    for (let x = 0; x < sym.size; ++x) {
      if (sym.dark(x, y)) d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
    }
  }
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(path);
  box.replaceChildren(svg);
  fitToPixels(box, svg, total);
  return sym;
}

// Makes each module a whole number of device pixels, as large as the box allows.
export function fitToPixels(box, svg, total = Number(svg.viewBox.baseVal.width)) {
  const dpr = window.devicePixelRatio || 1;
  const avail = Math.min(box.clientWidth || 320, window.innerHeight * 0.8 || 320);
  const perModule = Math.max(1, Math.floor((avail * dpr) / total));
  const cssSize = (perModule * total) / dpr;
  svg.style.width = `${cssSize}px`;
  svg.style.height = `${cssSize}px`;
}
