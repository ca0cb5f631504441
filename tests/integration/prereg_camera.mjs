// Simulated tablet-camera frames for the pre-registration page test: a screenshot of the phone
// (its whole screen) drawn into a 1280×720 frame at a given height in pixels, as a camera at arm's
// length sees it: a dark bezel on a grey room, turned a little, out of focus, with screen glare
// (less contrast) and sensor noise. Frames are PNG files that `shelterctl qr decode --fast` reads
// as the app's camera reads most frames.
import fs from 'node:fs';

// Writes one frame per height: `${prefix}-${height}.png`; returns the file names.
export async function cameraFrames(browser, screenshot, prefix, frameHeights) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await ctx.newPage();
  await page.setContent('<html><body></body></html>');
  const shot = `data:image/png;base64,${fs.readFileSync(screenshot).toString('base64')}`;
  const files = [];
  for (const h of frameHeights) {
    const png = await page.evaluate(
      async ({ src, h }) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = 1280;
        c.height = 720;
        const g = c.getContext('2d');
        const room = g.createLinearGradient(0, 0, 1280, 720);
        room.addColorStop(0, '#6b665e');
        room.addColorStop(1, '#3e3a35');
        g.fillStyle = room;
        g.fillRect(0, 0, 1280, 720);
        const w = (h * img.width) / img.height;
        g.save();
        g.translate(640 + 40, 360 - 10);
        g.rotate((4 * Math.PI) / 180);
        g.fillStyle = '#111';
        g.fillRect(-w / 2 - h * 0.04, -h / 2 - h * 0.06, w + h * 0.08, h * 1.12);
        g.filter = 'blur(0.6px)';
        g.imageSmoothingQuality = 'high';
        g.drawImage(img, -w / 2, -h / 2, w, h);
        g.restore();
        const data = g.getImageData(0, 0, 1280, 720);
        let seed = h;
        for (let i = 0; i < data.data.length; i += 4) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const noise = ((seed >>> 16) % 25) - 12;
          for (let k = 0; k < 3; ++k) {
            const v = 28 + data.data[i + k] * 0.78 + noise;
            data.data[i + k] = Math.max(0, Math.min(255, v));
          }
        }
        g.putImageData(data, 0, 0);
        return c.toDataURL('image/png');
      },
      { src: shot, h },
    );
    const file = `${prefix}-${h}.png`;
    fs.writeFileSync(file, Buffer.from(png.split(',')[1], 'base64'));
    files.push(file);
  }
  await ctx.close();
  return files;
}
