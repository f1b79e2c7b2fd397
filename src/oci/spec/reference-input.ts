/**
 * What a person pastes into the reference box, read for the image, repository or blob it names.
 * People copy from wherever they met the image: a README's `docker pull alpine:3` or
 * `docker run --rm -it alpine:3 sh`, a Dockerfile's `FROM --platform=linux/arm64 alpine:3 AS build`,
 * a compose file's `image: nginx:1.27`, a `skopeo inspect docker://…`, the address bar of Docker
 * Hub, GitHub Packages or Quay, a registry API URL out of a curl transcript, an explore.ggcr.dev
 * link. Each is reduced to one reference (parsed by reference.ts, so the grammar is the same as
 * everywhere else) plus what the input said about it: the platform asked for, and where it came from.
 *
 * Pure and table-tested; nothing here fetches. What cannot be read names the reason.
 */
import { InvalidReferenceError, type ImageReference, type RepositoryName, isDigest, parseReference, parseRepository } from './reference';

/** Where the reference was found, in words for "read from …". */
export type InputSource =
  | 'reference'
  | 'command'
  | 'dockerfile'
  | 'manifest-file'
  | 'docker-hub'
  | 'github'
  | 'quay'
  | 'registry-api'
  | 'explorer-link'
  | 'registry-url'
  | 'console';

export type InputTarget =
  /** `platform`: what the input asked for (`--platform linux/arm64`), to pick from an index. */
  | { kind: 'image'; ref: ImageReference; platform?: string; source: InputSource }
  | { kind: 'repository'; repo: RepositoryName; source: InputSource }
  | { kind: 'blob'; repo: RepositoryName; digest: string; source: InputSource }
  | { kind: 'referrers'; repo: RepositoryName; digest: string; source: InputSource }
  /** An ociscope / explore.ggcr.dev link: its own path and query, which are ours. */
  | { kind: 'link'; path: string; source: 'explorer-link' };

/** Words for where a reference came from: "a docker pull command", "a Docker Hub page". */
export const SOURCE_WORDS: Readonly<Record<InputSource, string>> = {
  reference: 'a reference',
  command: 'a command',
  dockerfile: 'a Dockerfile FROM line',
  'manifest-file': 'an image: line',
  'docker-hub': 'a Docker Hub page',
  github: 'a GitHub Packages page',
  quay: 'a Quay page',
  'registry-api': 'a registry API URL',
  'explorer-link': 'an explorer link',
  'registry-url': 'a registry URL',
  console: 'a cloud console page',
};

function invalid(input: string, message: string): InvalidReferenceError {
  return new InvalidReferenceError('invalid-format', input, message);
}

/**
 * Splits a shell command line as sh would for our purposes: quotes group, backslashes escape,
 * a backslash-newline joins lines, `#` after whitespace starts a comment.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word = (word ?? '') + line[++i];
      else word = (word ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      if (line[i + 1] === '\n') i++;
      else if (i + 1 < line.length) word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      while (i < line.length && line[i] !== '\n') i++;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Options of the tools below that take a value as the next word (`--platform linux/arm64`). */
const VALUE_OPTIONS = new Set(
  (
    '--platform --arch --os --variant --authfile --cert-dir --creds --decryption-key --retry --retry-delay ' +
    '--namespace -n --user -u --name -p --publish -v --volume -e --env --env-file -w --workdir --entrypoint ' +
    '--network --net --mount -l --label --add-host --cpus -m --memory -h --hostname --pull --restart --device ' +
    '--cap-add --cap-drop --security-opt --tmpfs --ulimit --log-driver --log-opt --gpus --ipc --pid --runtime ' +
    '--shm-size --stop-signal --userns --dns --format -f --context -c --config --version --username --password ' +
    '--registry-config --repository-config --ca-file --cert-file --key-file --output -o --src-creds --dest-creds ' +
    '--override-os --override-arch --override-variant --artifact-type'
  ).split(' '),
);

/** Tools whose first operand (after their subcommand words) is an image reference. */
const TOOLS = new Set(['docker', 'podman', 'nerdctl', 'ctr', 'crane', 'skopeo', 'regctl', 'oras', 'helm', 'buildah', 'finch', 'cosign']);

/** Subcommand words that come before the reference; anything else is taken as the operand. */
const SUBCOMMANDS = new Set(
  (
    'pull run create image images inspect manifest buildx imagetools container get fetch digest config ls list ' +
    'copy cp export blob tag from show chart verify tree download discover sbom'
  ).split(' '),
);

/** Subcommands whose operand is a repository, not an image (`crane ls`, `regctl tag ls`). */
const REPOSITORY_SUBCOMMANDS = new Set(['ls', 'list']);

interface CommandOperand {
  operand: string;
  platform?: string;
  allTags: boolean;
  repositoryOnly: boolean;
  helmVersion?: string;
}

function readOption(words: string[], i: number): { name: string; value?: string; next: number } {
  const word = words[i]!;
  const eq = word.indexOf('=');
  if (word.startsWith('--') && eq > 0) return { name: word.slice(0, eq), value: word.slice(eq + 1), next: i + 1 };
  if (VALUE_OPTIONS.has(word)) return { name: word, value: words[i + 1], next: i + 2 };
  if (/^-[a-zA-Z]/.test(word) && word.length > 2) {
    // A short option with its value attached (-p8080:80), or a cluster of flags (-it) whose last
    // one may take the next word (-dp 80:80).
    if (VALUE_OPTIONS.has(word.slice(0, 2))) return { name: word.slice(0, 2), value: word.slice(2), next: i + 1 };
    const last = `-${word.slice(-1)}`;
    if (/^-[a-zA-Z]+$/.test(word) && VALUE_OPTIONS.has(last)) return { name: last, value: words[i + 1], next: i + 2 };
  }
  return { name: word, next: i + 1 };
}

/** `run` and `create` end their options at the image: what follows is the container's own command line. */
const OPTIONS_END_AT_OPERAND = new Set(['run', 'create']);

function commandOperand(input: string, words: string[]): CommandOperand {
  const options = new Map<string, string | undefined>();
  let operand: string | undefined;
  let repositoryOnly = false;
  let optionsEnd = false;
  for (let i = 1; i < words.length;) {
    const word = words[i]!;
    if (word === '--') {
      operand ??= words[i + 1];
      break;
    }
    if (word.startsWith('-') && word.length > 1) {
      const option = readOption(words, i);
      options.set(option.name, option.value ?? '');
      i = option.next;
      continue;
    }
    if (operand === undefined && SUBCOMMANDS.has(word) && !looksLikeReference(word)) {
      if (REPOSITORY_SUBCOMMANDS.has(word)) repositoryOnly = true;
      if (OPTIONS_END_AT_OPERAND.has(word)) optionsEnd = true;
      i++;
      continue;
    }
    operand ??= word;
    if (optionsEnd) break;
    i++;
  }
  if (operand === undefined) throw invalid(input, `the ${words[0]} command names no image`);
  let platform = options.get('--platform') || undefined;
  const os = options.get('--os') || options.get('--override-os');
  const arch = options.get('--arch') || options.get('--override-arch');
  const variant = options.get('--variant') || options.get('--override-variant');
  if (platform === undefined && (os || arch)) platform = [os || 'linux', arch || 'amd64', variant].filter(Boolean).join('/');
  return {
    operand,
    platform,
    allTags: options.has('-a') || options.has('--all-tags'),
    repositoryOnly,
    helmVersion: words[0] === 'helm' ? options.get('--version') || undefined : undefined,
  };
}

/** A word that is plausibly a reference rather than a subcommand: it has a `/`, `:` or `@`. */
function looksLikeReference(word: string): boolean {
  return /[/:@]/.test(word);
}

/** `docker://`, `oci://` (helm, oras) and `docker-daemon:`-less transports name a registry reference. */
function withoutTransport(operand: string): string {
  return operand.replace(/^(?:docker|oci):\/\//i, '');
}

function fromLine(input: string, words: string[]): InputTarget {
  let platform: string | undefined;
  let i = 1;
  while (words[i]?.startsWith('--')) {
    const word = words[i]!;
    if (word.startsWith('--platform=')) platform = word.slice('--platform='.length);
    i++;
  }
  const image = words[i];
  if (image === undefined) throw invalid(input, 'the FROM line names no image');
  if (image.includes('$')) throw invalid(input, `"${image}" is set by a build argument; paste the value it takes`);
  if (image === 'scratch') throw invalid(input, '"FROM scratch" starts from an empty filesystem: there is no image to explore');
  if (platform?.includes('$')) platform = undefined;
  return { kind: 'image', ref: parseReference(image), source: 'dockerfile', ...(platform ? { platform } : {}) };
}

function fromCommand(input: string, words: string[]): InputTarget {
  const parsed = commandOperand(input, words);
  const operand = withoutTransport(parsed.operand);
  if (parsed.allTags || parsed.repositoryOnly)
    return { kind: 'repository', repo: parseRepository(operand.replace(/[:@].*$/, '')), source: 'command' };
  let ref = parseReference(operand);
  if (parsed.helmVersion && !/[:@]/.test(operand.split('/').pop() ?? '')) {
    // helm pull oci://host/chart --version 1.2.3: the chart's version is its tag (+ becomes _ in OCI tags).
    ref = parseReference(`${operand}:${parsed.helmVersion.replace(/\+/g, '_')}`);
  }
  return { kind: 'image', ref, source: 'command', ...(parsed.platform ? { platform: parsed.platform } : {}) };
}

const EXPLORER_PARAMS = ['image', 'repo', 'blob', 'referrers', 'compare'];
const EXPLORER_PATHS = /^\/(?:fs|layers|size|sizes)\//;

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `sha256-abc…` as Docker Hub and Quay write digests in paths. */
function digestFromPath(part: string | undefined): string | undefined {
  if (part === undefined) return undefined;
  const digest = part.replace(/^(sha256|sha512)-/, '$1:');
  return isDigest(digest) ? digest : undefined;
}

function image(text: string, source: InputSource): InputTarget {
  return { kind: 'image', ref: parseReference(text), source };
}

function repository(text: string, source: InputSource): InputTarget {
  return { kind: 'repository', repo: parseRepository(text), source };
}

function dockerHubUrl(parts: string[]): InputTarget | undefined {
  // /_/alpine[/tags], /r/ns/name[/tags]
  if (parts[0] === '_' && parts[1]) return repository(`docker.io/library/${parts[1]}`, 'docker-hub');
  if (parts[0] === 'r' && parts[1] && parts[2]) return repository(`docker.io/${parts[1]}/${parts[2]}`, 'docker-hub');
  // /layers/ns/name/tag/images/sha256-…
  if (parts[0] === 'layers' && parts.length >= 4) {
    const [, namespace, name, tag] = parts;
    const digest = parts[4] === 'images' ? digestFromPath(parts[5]) : undefined;
    return image(`docker.io/${namespace}/${name}:${tag}${digest ? `@${digest}` : ''}`, 'docker-hub');
  }
  // /repository/docker/ns/name[/general|/tags[/tag[/sha256-…]]]
  if (parts[0] === 'repository' && parts[1] === 'docker' && parts[2] && parts[3]) {
    const base = `docker.io/${parts[2]}/${parts[3]}`;
    if (parts[4] === 'tags' && parts[5]) {
      const digest = digestFromPath(parts[6]);
      return image(`${base}:${parts[5]}${digest ? `@${digest}` : ''}`, 'docker-hub');
    }
    return repository(base, 'docker-hub');
  }
  return undefined;
}

function githubUrl(url: URL, parts: string[]): InputTarget | undefined {
  // /OWNER/REPO/pkgs/container/NAME[/VERSION_ID], /users|orgs/OWNER/packages/container/[package/]NAME[/VERSION_ID]
  let owner: string | undefined;
  let name: string | undefined;
  if (parts[2] === 'pkgs' && parts[3] === 'container') {
    owner = parts[0];
    name = parts[4];
  } else if ((parts[0] === 'users' || parts[0] === 'orgs') && parts[2] === 'packages' && parts[3] === 'container') {
    owner = parts[1];
    name = parts[4] === 'package' ? parts[5] : parts[4];
  }
  if (!owner || !name) return undefined;
  const base = `ghcr.io/${owner.toLowerCase()}/${decodePart(name)}`;
  const tag = url.searchParams.get('tag');
  return tag ? image(`${base}:${tag}`, 'github') : repository(base, 'github');
}

function quayUrl(url: URL, parts: string[]): InputTarget | undefined {
  // /repository/ORG/NAME[/manifest/sha256:…][?tab=tags&tag=…]
  if (parts[0] !== 'repository' || !parts[1] || !parts[2]) return undefined;
  const base = `quay.io/${parts[1]}/${parts[2]}`;
  if (parts[3] === 'manifest' && parts[4] && isDigest(decodePart(parts[4]))) return image(`${base}@${decodePart(parts[4])}`, 'quay');
  const tag = url.searchParams.get('tag');
  return tag ? image(`${base}:${tag}`, 'quay') : repository(base, 'quay');
}

function consoleUrl(host: string, parts: string[]): InputTarget | undefined {
  // console.cloud.google.com/artifacts/docker/PROJECT/LOCATION/REPOSITORY/IMAGE[/sha256:…]
  if (host === 'console.cloud.google.com' && parts[0] === 'artifacts' && parts[1] === 'docker' && parts.length >= 6) {
    const [, , project, location, repo, ...rest] = parts;
    const digest = rest.length > 1 && isDigest(decodePart(rest[rest.length - 1]!)) ? decodePart(rest.pop()!) : undefined;
    const base = `${location}-docker.pkg.dev/${project}/${repo}/${rest.join('/')}`;
    return digest ? image(`${base}@${digest}`, 'console') : repository(base, 'console');
  }
  // gallery.ecr.aws/NAMESPACE/NAME
  if (host === 'gallery.ecr.aws' && parts.length >= 2) return repository(`public.ecr.aws/${parts[0]}/${parts[1]}`, 'console');
  // mcr.microsoft.com/en-us/artifact/mar/PATH (the catalog page of mcr.microsoft.com/PATH)
  if (host === 'mcr.microsoft.com' && parts[1] === 'artifact' && parts[2] === 'mar' && parts.length > 3) {
    return repository(`mcr.microsoft.com/${parts.slice(3).join('/')}`, 'console');
  }
  return undefined;
}

function registryApiUrl(host: string, path: string): InputTarget | undefined {
  const match = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const registry = host === 'registry-1.docker.io' ? 'docker.io' : host;
  const name = `${registry}/${match[1]}`;
  const reference = decodePart(match[3]!);
  switch (match[2]) {
    case 'manifests':
      return image(isDigest(reference) ? `${name}@${reference}` : `${name}:${reference}`, 'registry-api');
    case 'blobs':
    case 'referrers':
      if (!isDigest(reference)) return undefined;
      return { kind: match[2] === 'blobs' ? 'blob' : 'referrers', repo: parseRepository(name), digest: reference, source: 'registry-api' };
    default:
      return reference === 'list' ? repository(name, 'registry-api') : undefined;
  }
}

function fromUrl(input: string, text: string): InputTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(input, 'this looks like a URL but is not a valid one');
  }
  const host = url.host.toLowerCase();
  const parts = url.pathname.split('/').filter(Boolean);
  const known =
    host === 'hub.docker.com'
      ? dockerHubUrl(parts)
      : host === 'github.com'
        ? githubUrl(url, parts)
        : host === 'quay.io' && parts[0] === 'repository'
          ? quayUrl(url, parts)
          : (consoleUrl(host, parts) ?? registryApiUrl(host, url.pathname));
  if (known) return known;
  // Any other host with our URL forms is an ociscope or explore.ggcr.dev instance.
  if ((url.pathname === '/' && EXPLORER_PARAMS.some((p) => url.searchParams.has(p))) || EXPLORER_PATHS.test(url.pathname)) {
    return { kind: 'link', path: `${url.pathname}${url.search}`, source: 'explorer-link' };
  }
  if (host === 'hub.docker.com' || host === 'github.com') throw invalid(input, `this ${host} page does not name an image`);
  // https://ghcr.io/owner/name:tag — a reference written as a URL. Without a tag or digest it is
  // the repository's page.
  const path = decodePart(url.pathname.replace(/^\/+|\/+$/g, ''));
  if (path === '') throw invalid(input, `the URL names the registry ${host} but no repository`);
  const last = path.split('/').pop()!;
  return /[:@]/.test(last) ? image(`${host}/${path}`, 'registry-url') : repository(`${host}/${path}`, 'registry-url');
}

/** Whitespace, a shell prompt, `sudo`, and quotes or backticks around the whole are not part of it. */
function tidy(input: string): string {
  let text = input.trim();
  const wrapped = /^([`'"])([\s\S]*)\1$/.exec(text);
  if (wrapped) text = wrapped[2]!.trim();
  text = text.replace(/^[$%>]\s+/, '').replace(/^sudo\s+/, '');
  return text;
}

/**
 * The target `input` names. Throws InvalidReferenceError (with the rule that broke, from
 * reference.ts when the reference itself is malformed) when it names none.
 */
export function readReferenceInput(input: string): InputTarget {
  const text = tidy(input);
  if (text === '') throw new InvalidReferenceError('empty', input, 'paste an image reference, a pull command or a registry page URL');
  if (/^https?:\/\//i.test(text)) return fromUrl(input, text);
  const manifestLine = /^-?\s*image:\s+(.+)$/i.exec(text);
  if (manifestLine) return image(shellWords(manifestLine[1]!)[0] ?? '', 'manifest-file');
  if (!/\s/.test(text)) {
    const bare = withoutTransport(text);
    return bare === text ? image(text, 'reference') : image(bare, 'command');
  }
  const words = shellWords(text);
  const first = words[0]!;
  if (/^from$/i.test(first)) return fromLine(input, words);
  if (TOOLS.has(first)) return fromCommand(input, words);
  throw invalid(input, `"${first}" is not a command ociscope knows; paste the image reference itself`);
}
