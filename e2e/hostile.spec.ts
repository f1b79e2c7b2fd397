/**
 * A malicious registry's documents in a real browser (issue 4, "Security"): the hostile images
 * of e2e/registry/hostile-seed.ts carry script and HTML in annotation keys and values,
 * `javascript:` / `data:` URLs where the app makes links, 9,999-deep nesting, a 100,000-element
 * array, invalid UTF-8 and impossible sizes. Whatever they carry: no dialog opens, no payload runs
 * (`window.__pwned` stays unset), no `javascript:`/`data:` URL becomes a link, the Content
 * Security Policy is never violated (our own code included: workers, WebAssembly, previews), the
 * document and its raw bytes are shown, a part that cannot be rendered says why, and the
 * digest is still verified.
 */
import { expect, type Page, test } from '@playwright/test';
import { statSync } from 'node:fs';
import { HOSTILE_STRINGS, SAFE_LINK, type HostileCase, type HostileKind } from './registry/hostile-seed';
import { readE2EState } from './support/state';

const hostile = () => readE2EState().seed.hostile;
const hostileCase = (kind: HostileKind): HostileCase => {
  const found = hostile().cases.find((each) => each.kind === kind);
  if (found === undefined) throw new Error(`the registry refused the ${kind} document: ${JSON.stringify(hostile().refused)}`);
  return found;
};

declare global {
  interface Window {
    __pwned?: unknown;
    __cspViolations?: string[];
  }
}

/**
 * Arms the page before any script of ours runs: dialogs are recorded (and dismissed), CSP
 * violations are collected from the document's `securitypolicyviolation` events and from the
 * console, where Chromium also reports those of workers.
 */
async function armTripwires(page: Page) {
  const dialogs: string[] = [];
  const consoleViolations: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|compile|connect|frame|create)/i.test(message.text())) {
      consoleViolations.push(message.text());
    }
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations!.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
    });
  });

  /** Everything that would show an attack got through, for one exact assertion. */
  return async () => {
    const inPage = await page.evaluate(() => {
      const dangerous = /^\s*(javascript|data|vbscript):/i;
      const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data'];
      const dangerousUrls: string[] = [];
      for (const element of document.querySelectorAll('*')) {
        for (const name of urlAttributes) {
          const value = element.getAttribute(name);
          if (value !== null && (name === 'srcdoc' || dangerous.test(value)))
            dangerousUrls.push(`<${element.localName} ${name}="${value}">`);
        }
        for (const attribute of element.attributes) {
          if (attribute.name.startsWith('on')) dangerousUrls.push(`<${element.localName} ${attribute.name}>`);
        }
      }
      return {
        pwned: window.__pwned ?? null,
        cspViolations: window.__cspViolations ?? ['tripwire not installed'],
        dangerousUrls,
        inlineScripts: document.querySelectorAll('script:not([src])').length,
        frames: document.querySelectorAll('iframe, frame, object, embed').length,
      };
    });
    expect({ ...inPage, dialogs, consoleViolations }).toEqual({
      pwned: null,
      cspViolations: [],
      dangerousUrls: [],
      inlineScripts: 0,
      frames: 0,
      dialogs: [],
      consoleViolations: [],
    });
  };
}

const verification = (page: Page) => page.getByTestId('verification');

/** Opens a hostile image and checks what every case must show: the verified digest. */
async function openVerified(page: Page, image: HostileCase) {
  await page.goto(`/?image=${image.ref}`);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', image.digest);
}

/** The raw bytes tab always works, whatever the pretty view made of the document. */
async function expectRawBytes(page: Page, contains: string) {
  await page.getByRole('tab', { name: 'Raw bytes' }).click();
  await expect(page.getByTestId('json-raw')).toContainText(contains);
}

test('the app is served with its Content-Security-Policy and nosniff', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(headers['content-security-policy']).toContain("object-src 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
});

test('script and HTML in annotation keys and values stay text; only the https value is a link', async ({ page }) => {
  const assertNothingRan = await armTripwires(page);
  const image = hostileCase('markup');
  await openVerified(page, image);

  const annotations = page.getByTestId('annotations');
  await expect(annotations).toContainText(HOSTILE_STRINGS.script);
  await expect(annotations).toContainText(HOSTILE_STRINGS.htmlKey);
  await expect(annotations).toContainText(HOSTILE_STRINGS.imgOnError);
  await expect(annotations).toContainText(HOSTILE_STRINGS.iframe);
  await expect(annotations).toContainText(HOSTILE_STRINGS.mixedCaseJavascript);
  await expect(annotations).toContainText(HOSTILE_STRINGS.dataBase64);
  await expect(annotations.getByRole('link')).toHaveCount(1);
  await expect(annotations.getByRole('link')).toHaveAttribute('href', SAFE_LINK);
  await expect(page.getByTestId('json-pretty')).toContainText(HOSTILE_STRINGS.javascriptUrl);
  await expect(page.getByTestId('layer-row')).toHaveCount(1);
  // Hovering the key written as <b onmouseover=…> must do nothing: it is text.
  await annotations.getByText(HOSTILE_STRINGS.htmlKey).hover();
  await expectRawBytes(page, HOSTILE_STRINGS.script);
  await assertNothingRan();

  // The config carries hostile labels, history and `urls` too.
  await page.getByRole('tab', { name: 'JSON' }).click();
  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(page.getByTestId('blob-page')).toBeVisible();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('json-pretty')).toContainText(HOSTILE_STRINGS.dataUrl);
  await expect(page.getByTestId('json-pretty').getByRole('link', { name: /javascript:|data:/ })).toHaveCount(0);
  await assertNothingRan();
});

test('javascript:, data: and vbscript: in descriptor urls and a script as platform are text', async ({ page }) => {
  const assertNothingRan = await armTripwires(page);
  const image = hostileCase('index-urls');
  await openVerified(page, image);
  await expect(page.getByTestId('platform-row')).toHaveCount(1);
  await expect(page.getByTestId('platform-row')).toContainText(HOSTILE_STRINGS.script);
  const json = page.getByTestId('json-pretty');
  await expect(json).toContainText(HOSTILE_STRINGS.vbscript);
  await expect(json.getByRole('link', { name: /javascript:|data:|vbscript:/ })).toHaveCount(0);
  await expectRawBytes(page, HOSTILE_STRINGS.dataUrl);
  await assertNothingRan();
});

test('nesting past the reader’s 512 levels: tables and raw text shown, and the JSON view says why', async ({ page }) => {
  const assertNothingRan = await armTripwires(page);
  const image = hostileCase('deep');
  await openVerified(page, image);
  await expect(page.getByTestId('layer-row')).toHaveCount(1);
  await expect(page.getByRole('alert').filter({ hasText: 'Nested deeper than 512 levels' })).toBeVisible();
  await expect(page.getByTestId('json-raw')).toContainText('"x-deep":[[[[');
  await expect(page.getByTestId('json-pretty')).toHaveCount(0);
  await expectRawBytes(page, ']]]]}');
  await assertNothingRan();
});

test('a 100,000-element array renders promptly with its lines capped, and can be shown raw', async ({ page }) => {
  const assertNothingRan = await armTripwires(page);
  const image = hostileCase('wide');
  await openVerified(page, image);
  await expect(page.getByTestId('layer-row')).toHaveCount(1);
  await expect(page.getByTestId('json-pretty')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Show all [\d,]+ lines$/ })).toBeVisible();
  await expectRawBytes(page, '99998,99999]');
  await assertNothingRan();
});

test('invalid UTF-8 is shown with replacement characters and the digest of the exact bytes verifies', async ({ page }) => {
  const assertNothingRan = await armTripwires(page);
  const image = hostileCase('invalid-utf8');
  await openVerified(page, image);
  await expect(page.getByTestId('computed-digest')).toHaveText(image.digest);
  await expect(page.getByTestId('annotations')).toContainText('before \uFFFD');
  await expectRawBytes(page, 'before \uFFFD');
  await assertNothingRan();
});

test('sizes of -1 and 2^53 + 1 neither break the tables nor lose digits in the JSON', async ({ page }) => {
  const assertNothingRan = await armTripwires(page);
  const image = hostileCase('odd-sizes');
  await openVerified(page, image);
  await expect(page.getByTestId('layer-row')).toHaveCount(2);
  await expect(page.getByTestId('section-error')).toHaveCount(0);
  // The pretty view is printed from the document's own tokens, so the number keeps its spelling.
  await expect(page.getByTestId('json-pretty')).toContainText('9007199254740993');
  await expectRawBytes(page, '"size":-1');
  await assertNothingRan();
});

test('our own code runs under the policy: layer workers, WebAssembly hashing, image previews', async ({ page }) => {
  const assertNothingRan = await armTripwires(page);
  const { layered } = readE2EState().seed;
  await page.goto(`/?image=${layered.ref}`);
  await page.getByTestId('layers').locator(`a[href^="/fs/"][href*="${layered.layers[0]!.digest}"]`).click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  const base = page.url().split('?')[0]!;
  await page.goto(`${base}${layered.files.png.path}${page.url().slice(base.length)}`);
  await expect(page.getByTestId('file-image')).toBeVisible();
  expect(await page.getByTestId('file-image').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(layered.files.png.width);
  await assertNothingRan();
});

test('proxied content would be sandboxed if opened directly, and still downloads from the blob page', async ({ page }) => {
  const { registry, single } = readE2EState().seed;
  const layer = single.layers[0]!;
  const direct = await page.request.get(`/registry/${registry}/v2/${single.repo}/blobs/${single.config.digest}`);
  expect(direct.headers()['content-security-policy']).toBe("default-src 'none'; sandbox; frame-ancestors 'none'");
  expect(direct.headers()['x-content-type-options']).toBe('nosniff');

  await page.goto(`/?blob=${registry}/${single.repo}@${layer.digest}&mt=application/octet-stream&size=${layer.size}`);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'the direct link' }).click();
  expect(statSync((await (await download).path())!).size).toBe(layer.size);
});

test('what distribution 2.8 refused to store is recorded, and nothing hostile was lost silently', () => {
  const { cases, refused } = hostile();
  for (const refusal of refused)
    test.info().annotations.push({ type: 'registry refused', description: `${refusal.what}: HTTP ${refusal.status}` });
  // Every hostile document is either opened above or listed as refused by the registry.
  const opened: HostileKind[] = ['markup', 'index-urls', 'deep', 'wide', 'invalid-utf8', 'odd-sizes'];
  expect(opened.every((kind) => cases.some((each) => each.kind === kind))).toBe(true);
  expect(cases.filter((each) => !opened.includes(each.kind))).toEqual([]);
});
