// Keeping the made QR code on this phone (localStorage), only after the resident asks for it:
// the code's text and nothing else (not the form). Nothing is stored anywhere else.

import { PREFIX, MAX_CHARS } from './jpr1.js';

const KEY = 'shelterkit.prereg.code.v1';
// Earlier versions of the page kept the whole form under this key; it is removed on start.
const OLD_FORM_KEY = 'shelterkit.prereg.v1';

// The kept code's text, or null (nothing kept, or something that is no JPR1 text).
export function loadCode() {
  try {
    localStorage.removeItem(OLD_FORM_KEY);
    const text = localStorage.getItem(KEY);
    if (!text || text.length > MAX_CHARS || !text.startsWith(PREFIX)) return null;
    return /^[0-9A-Z $%*+./:-]+$/.test(text) ? text : null;
  } catch {
    return null;
  }
}

// Returns false when the browser refuses (private mode, storage full).
export function keepCode(text) {
  try {
    localStorage.setItem(KEY, text);
    return true;
  } catch {
    return false;
  }
}

export function forgetCode() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing was kept.
  }
}
