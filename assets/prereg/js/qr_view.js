// Draws the JPR1 text as a QR symbol (alphanumeric mode) into an SVG as large as the screen allows,
// so a camera reads it easily, and as a PNG for the photo album.
// The level of error correction: the smallest symbol at level L, then the highest level that
// still fits that symbol. A phone screen is not torn or dirty, so what limits a tablet's camera at
// arm's length is the size of a module; a smaller version gives larger modules. Paper gets at
// least level M (makeSymbol(text, 'M')).

import qrcode from '../vendor/qrcode.mjs';

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4; // modules of white border, as the standard asks
export const LEVELS = ['L', 'M', 'Q', 'H'];

function build(version, level, text) {
  const qr = qrcode(version, level);
  qr.addData(text, 'Alphanumeric');
  qr.make();
  return qr;
}

// The symbol's modules: {version, level, size, dark(x, y)}. The text must be QR alphanumeric.
export function makeSymbol(text, minLevel = 'L') {
  let qr = build(0, minLevel, text);
  let level = minLevel;
  const version = (qr.getModuleCount() - 17) / 4;
  for (const higher of LEVELS.slice(LEVELS.indexOf(minLevel) + 1)) {
    try {
      qr = build(version, higher, text);
      level = higher;
    } catch {
      break; // "code length overflow": this level needs a larger symbol
    }
  }
  const size = qr.getModuleCount();
  return { version, level, size, dark: (x, y) => qr.isDark(y, x) };
}

function symbolSvg(sym) {
  const total = sym.size + 2 * QUIET;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${total} ${total}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('role', 'img');
  svg.dataset.version = String(sym.version);
  svg.dataset.level = sym.level;
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
  return svg;
}

// Replaces the children of `box` with an SVG of the symbol for the screen; returns the symbol.
export function renderQr(box, text) {
  const sym = makeSymbol(text);
  const svg = symbolSvg(sym);
  box.replaceChildren(svg);
  fitToPixels(box, svg);
  return sym;
}

// The same text for paper (at least level M); its size comes from the print style sheet.
export function renderPrintQr(box, text) {
  const sym = makeSymbol(text, 'M');
  box.replaceChildren(symbolSvg(sym));
  return sym;
}

// As large as the box is wide and the screen below its top is tall: the larger each module, the
// farther a camera reads it. Modules need not be whole device pixels (crispEdges snaps their
// edges); at a phone's 3 device pixels per CSS pixel the difference is under a pixel.
export function fitToPixels(box, svg) {
  const top =
    box.getBoundingClientRect().top + window.scrollY + parseFloat(getComputedStyle(box).paddingTop);
  const width = box.clientWidth || 320;
  const below = (window.innerHeight || 640) - top - 4;
  const size = Math.floor(Math.max(Math.min(width, 240), Math.min(width, below)));
  svg.style.width = `${size}px`;
  svg.style.height = `${size}px`;
}

// A PNG of the symbol (as on screen), `scale` pixels per module, for the photo album.
export function qrPng(text, scale = 10) {
  const sym = makeSymbol(text);
  const total = sym.size + 2 * QUIET;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = total * scale;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let y = 0; y < sym.size; ++y) {
    for (let x = 0; x < sym.size; ++x) {
      if (sym.dark(x, y)) ctx.fillRect((x + QUIET) * scale, (y + QUIET) * scale, scale, scale);
    }
  }
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
