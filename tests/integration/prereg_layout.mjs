// Layout checks for the pre-registration page test, measured from element boxes: the page must
// not scroll sideways and no control, label or text may leave the screen or be cut inside its
// own box, at 320/390/768 CSS px and 100/150/200 % text (chromium's own font scaling, which is
// what a phone's large-text setting changes).

// Sets the browser's default font size to scale × 16 px (the page sizes text in rem and %). The
// setting lasts as long as the returned session; call after the page has loaded.
export async function setTextScale(page, scale) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', {
    fontSizes: { standard: Math.round(16 * scale), fixed: Math.round(13 * scale) },
  });
  return cdp;
}

// The root font size in CSS px (18 at 100 %: the page's 112.5 %).
export const rootFontSize = (page) =>
  page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

// Every problem on the page as it is now, as short sentences; [] when the layout is sound.
export function layoutProblems(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const bad = [];
    const docW = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
    if (docW > vw + 0.5) bad.push(`the page is ${docW} px wide on a ${vw} px screen`);
    const ctx = document.createElement('canvas').getContext('2d');
    const name = (el) => {
      const what = (el.textContent || el.placeholder || el.value || '').trim().slice(0, 24);
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${what}"`;
    };
    const sel = 'input, textarea, button, .button, label, legend, h1, h2, h3, p, output, li, svg';
    for (const el of document.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      if (r.left < -0.5 || r.right > vw + 0.5)
        bad.push(`${name(el)} reaches ${Math.round(r.left)}..${Math.round(r.right)} px`);
      if (el.tagName === 'INPUT' && el.type !== 'checkbox' && el.type !== 'radio') {
        // The placeholder or value must show in full: the width of its text in the input's font.
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room =
          el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const text = el.value || el.placeholder;
        const need = ctx.measureText(text).width;
        if (text && need > room + 1)
          bad.push(
            `${name(el)}: its text needs ${Math.round(need)} px, ${Math.round(room)} px shown`,
          );
      } else if (
        style.display !== 'inline' &&
        el.tagName !== 'svg' &&
        el.tagName !== 'TEXTAREA' &&
        el.scrollWidth > el.clientWidth + 1
      ) {
        bad.push(`${name(el)} is cut: ${el.scrollWidth} px of text in ${el.clientWidth} px`);
      }
    }
    return bad;
  });
}

// The heights in CSS px of the whole page and of each member's entry.
export function heights(page) {
  return page.evaluate(() => ({
    page: document.documentElement.scrollHeight,
    members: [...document.querySelectorAll('#members > .member')].map((m) =>
      Math.round(m.getBoundingClientRect().height),
    ),
  }));
}

// The steps a resident goes through, each left on screen for the checks: the empty form, every
// question answered "yes" with a pet, the form with errors, the QR code.
export const STEPS = {
  async form() {},
  async open(page) {
    for (const yes of await page.locator('.question input[value="1"]').all()) await yes.check();
    await page.locator('[data-f="nationality"] input[value="other"]').first().check();
    await page.click('#add-pet');
  },
  async errors(page) {
    await page.locator('[data-f="dob"]').first().fill('昭和65年');
    await page.click('#make');
    await page.locator('.error').first().waitFor();
  },
  async result(page) {
    await page.locator('[data-f="name"]').first().fill('山田 太郎');
    await page.locator('[data-f="dob"]').first().fill('S15.8.15');
    await page.locator('[data-f="kind"]').first().fill('犬');
    await page.click('#make');
    await page.locator('#qr svg').waitFor();
  },
};
