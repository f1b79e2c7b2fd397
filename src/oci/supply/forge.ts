/**
 * Links from a source reference to the page of the commit it names on a forge. Git URLs in
 * provenance are written many ways (`https://github.com/o/r.git#refs/tags/v1`, `git+https://…`,
 * `git@github.com:o/r`); only hosts whose commit URL layout we know get a commit link, and only
 * over https. Anything else stays text.
 */

export interface SourceRef {
  /** `https://host/owner/repo` without `.git`, when the URI is a forge repository. */
  repositoryUrl?: string;
  /** The ref after `#` or `@` (`refs/tags/v0.11.0`), when written. */
  ref?: string;
  /** The page of `commit` on the forge, when both are known. */
  commitUrl?: string;
}

const COMMIT_PATHS: Record<string, (repo: string, commit: string) => string> = {
  'github.com': (repo, commit) => `${repo}/commit/${commit}`,
  'gitlab.com': (repo, commit) => `${repo}/-/commit/${commit}`,
  'codeberg.org': (repo, commit) => `${repo}/commit/${commit}`,
  'bitbucket.org': (repo, commit) => `${repo}/commits/${commit}`,
};

const COMMIT = /^[a-f0-9]{7,64}$/;

/** Reads a git source URI and, when `commit` is a hex id, where that commit can be seen. */
export function sourceRef(uri: string, commit?: string): SourceRef {
  let text = uri.trim().replace(/^git\+/, '');
  const scp = /^git@([\w.-]+):(.+)$/.exec(text);
  if (scp) text = `https://${scp[1]}/${scp[2]}`;
  const hash = text.indexOf('#');
  const ref = hash >= 0 ? text.slice(hash + 1) || undefined : undefined;
  if (hash >= 0) text = text.slice(0, hash);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ref };
  }
  const at = url.pathname.lastIndexOf('@');
  const pathRef = at > 0 ? url.pathname.slice(at + 1) : undefined;
  const path = (at > 0 ? url.pathname.slice(0, at) : url.pathname).replace(/\.git$/, '').replace(/\/+$/, '');
  const host = url.hostname.toLowerCase();
  const commitPath = COMMIT_PATHS[host];
  if (!commitPath || (url.protocol !== 'https:' && url.protocol !== 'http:') || path.split('/').filter(Boolean).length < 2)
    return { ref: ref ?? pathRef };
  const repositoryUrl = `https://${host}${path}`;
  return {
    repositoryUrl,
    ref: ref ?? pathRef,
    commitUrl: commit && COMMIT.test(commit.toLowerCase()) ? commitPath(repositoryUrl, commit.toLowerCase()) : undefined,
  };
}
