// Finding the QR code's text: in camera frames (getUserMedia, the rear camera), in a photo, or on
// the pages of a certificate PDF (rendered by pdf.js, loaded only when a PDF is chosen). The QR
// decoder is jsQR (vendor/jsqr.js, a classic script: window.jsQR).

const MAX_SIDE = 2000; // larger photos are scaled down first: jsQR's time grows with the pixels
const MAX_PDF_PAGES = 4;
const MAX_FILE_BYTES = 32 << 20;

function decodeCanvas(canvas, inversion = 'attemptBoth') {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const hit = window.jsQR(img.data, img.width, img.height, { inversionAttempts: inversion });
  return hit && hit.data ? hit.data : '';
}

function draw(canvas, source, w, h) {
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d', { willReadFrequently: true }).drawImage(source, 0, 0, w, h);
}

// The QR text in an image (a photo or a rendered page), trying smaller sizes when the full one
// fails: '' when none is found.
export function textInImage(canvas, source, width, height) {
  let scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  for (let i = 0; i < 3; ++i, scale *= 0.6) {
    draw(canvas, source, Math.round(width * scale), Math.round(height * scale));
    const text = decodeCanvas(canvas);
    if (text) return text;
  }
  return '';
}

export async function textInPhoto(canvas, file) {
  if (file.size > MAX_FILE_BYTES) return '';
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return '';
  }
  try {
    return textInImage(canvas, bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

export async function textInPdf(canvas, file) {
  if (file.size > MAX_FILE_BYTES) return '';
  const pdfjs = await import('../vendor/pdfjs/pdf.min.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = new URL(
    '../vendor/pdfjs/pdf.worker.min.mjs',
    import.meta.url,
  ).href;
  let task;
  let doc;
  try {
    task = pdfjs.getDocument({
      data: new Uint8Array(await file.arrayBuffer()),
      isEvalSupported: false,
      enableXfa: false,
      useSystemFonts: false,
      disableFontFace: true,
      stopAtErrors: false,
    });
    doc = await task.promise;
  } catch {
    task?.destroy();
    return '';
  }
  try {
    for (let n = 1; n <= Math.min(doc.numPages, MAX_PDF_PAGES); ++n) {
      const page = await doc.getPage(n);
      // About 200 dpi: a printed QR code's modules are several pixels wide.
      const viewport = page.getViewport({ scale: 200 / 72 });
      const render = document.createElement('canvas');
      render.width = Math.round(viewport.width);
      render.height = Math.round(viewport.height);
      const ctx = render.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, render.width, render.height);
      await page.render({ canvasContext: ctx, canvas: render, viewport }).promise;
      const text = textInImage(canvas, render, render.width, render.height);
      if (text) return text;
    }
  } catch {
    return '';
  } finally {
    task.destroy();
  }
  return '';
}

// The camera: calls onText(text) with every QR text it sees until stop() is called.
export class CameraScanner {
  constructor(video, canvas) {
    this.video = video;
    this.canvas = canvas;
    this.stream = null;
    this.timer = 0;
  }

  // Resolves when the camera runs; throws when there is none or it is refused.
  async start(onText) {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera');
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        facingMode: { ideal: 'environment' },
        width: { ideal: 1280 },
        height: { ideal: 720 },
      },
    });
    this.video.srcObject = this.stream;
    await this.video.play();
    const tick = () => {
      if (!this.stream) return;
      const { videoWidth: w, videoHeight: h } = this.video;
      if (w && h) {
        const scale = Math.min(1, 960 / Math.max(w, h));
        draw(this.canvas, this.video, Math.round(w * scale), Math.round(h * scale));
        const text = decodeCanvas(this.canvas, 'dontInvert');
        if (text && onText(text) === false) return;
      }
      this.timer = setTimeout(tick, 120);
    };
    tick();
  }

  stop() {
    clearTimeout(this.timer);
    for (const track of this.stream?.getTracks() || []) track.stop();
    this.stream = null;
    this.video.srcObject = null;
  }
}
